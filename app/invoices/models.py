"""Tables of invoices, their file renditions, ticket holds and paper vouchers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Computed,
    ForeignKey,
    Index,
    Numeric,
    Text,
    Time,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

INVOICE_STATUSES = ("available", "claimed", "booked", "void")
INVOICE_KINDS = ("railway", "air")
VERIFICATION_STATES = ("verified", "mismatch", "unverified", "failed")
RENDITION_KINDS = ("pdf", "ofd", "xml")

# What a list's `q` searches: the lower-cased invoice number, train number and stations, joined
# by U+001F, a control character a query may not contain, so no match spans two fields. On
# PostgreSQL the column is stored, computed when the row is written: one LIKE on it cost 0.08 µs
# a row against 0.98 µs for ILIKE on the four columns (1,000,000 rows scanned), which is what a
# common term pays on every row it walks past.
SEARCH_TEXT = (
    "lower(invoice_number || '\x1f' || coalesce(train_number, '') || '\x1f' "
    "|| coalesce(departure_station, '') || '\x1f' || coalesce(arrival_station, ''))"
)


def _money(nullable: bool = False) -> Any:
    return Field(default=None if nullable else ..., sa_type=Numeric(14, 2), nullable=nullable)


class Invoice(SQLModel, table=True):
    """One railway e-invoice or air e-itinerary, whatever files it arrived as; unique by its
    20-digit number."""

    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint(
            "business_type IN ('sale', 'refund', 'change', 'difference')", name="business_type"
        ),
        CheckConstraint("status IN ('available', 'claimed', 'booked', 'void')", name="status"),
        CheckConstraint(
            "verification IN ('verified', 'mismatch', 'unverified', 'failed')", name="verification"
        ),
        CheckConstraint("source IN ('xbrl', 'text')", name="source"),
        CheckConstraint("kind IN ('railway', 'air')", name="kind"),
        # Lists are newest first over (created_at, id): with the filter's column in front, one
        # ordered index walk yields a page at any table size. (PostgreSQL also has a pg_trgm
        # index on `search_text` for `q`, made by the migration 2026-11-27-2245_search_text.)
        Index("ix_invoice_owner_id_created_at_id", "owner_id", "created_at", "id"),
        Index("ix_invoice_entity_id_created_at_id", "entity_id", "created_at", "id"),
        Index("ix_invoice_status_created_at_id", "status", "created_at", "id"),
        Index("ix_invoice_kind_created_at_id", "kind", "created_at", "id"),
        # Covers a travel-date filtered list (visibility, status and the sort key included), so
        # its window is read from the index alone: see queries._page_in_travel_window.
        Index(
            "ix_invoice_travel_date_entity_id_owner_id_status_created_at_id",
            "travel_date",
            "entity_id",
            "owner_id",
            "status",
            "created_at",
            "id",
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_number: str = Field(max_length=20, unique=True)
    business_type: str = Field(max_length=12)
    is_red_letter: bool = False
    issue_date: dt.date | None = None
    train_number: str | None = Field(default=None, max_length=16, index=True)
    departure_station: str | None = Field(default=None, max_length=32)
    arrival_station: str | None = Field(default=None, max_length=32)
    travel_date: dt.date | None = None
    departure_time: dt.time | None = Field(default=None, sa_type=Time)
    seat_class: str | None = Field(default=None, max_length=16)
    carriage: str | None = Field(default=None, max_length=8)
    seat: str | None = Field(default=None, max_length=16)
    fare: Decimal = _money()
    amount_excluding_tax: Decimal | None = _money(nullable=True)
    tax_rate: Decimal | None = Field(default=None, sa_type=Numeric(6, 4), nullable=True)
    tax_amount: Decimal | None = _money(nullable=True)
    # 价税合计; the fare for railway. Always written; nullable only in the schema (see the
    # migration 2026-12-02-2110_air_travel).
    total_amount: Decimal | None = _money(nullable=True)
    kind: str = Field(
        default="railway", max_length=8, sa_column_kwargs={"server_default": "railway"}
    )
    # Air only (SPEC "Air travel"): 燃油附加费, 民航发展基金, 其他税费, 国内国际标识 and the flight
    # table, one dict per segment (see app.invoices.segments).
    fuel_surcharge: Decimal | None = _money(nullable=True)
    civil_aviation_fund: Decimal | None = _money(nullable=True)
    other_taxes: Decimal | None = _money(nullable=True)
    domestic: bool | None = None
    segments: list[dict[str, str | None]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    e_ticket_number: str | None = Field(default=None, max_length=64)
    # "<e-ticket number>|<business type>" of live blue invoices, "…|air" for air ones; None for
    # red-letter ones.
    ticket_key: str | None = Field(default=None, max_length=100, index=True)
    passenger_name: str | None = Field(default=None, max_length=100)
    passenger_id_masked: str | None = Field(default=None, max_length=32)
    buyer_name: str | None = Field(default=None, max_length=200)
    buyer_tax_id: str | None = Field(default=None, max_length=32)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")])
    original_invoice_number: str | None = Field(default=None, max_length=20, index=True)
    original_invoice_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("invoice.id")]
    )
    voided_by_id: uuid.UUID | None = Field(default=None, sa_column_args=[ForeignKey("invoice.id")])
    source: str = Field(max_length=8)
    sha256: str = Field(max_length=64)
    xbrl_sha256: str | None = Field(default=None, max_length=64)
    status: str = Field(default="available", max_length=16)
    verification: str = Field(default="unverified", max_length=16)
    verification_message: str | None = Field(default=None, max_length=500)
    verified_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    deduction_confirmed_on: dt.date | None = None
    warnings: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    owner_id: uuid.UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    uploaded_by_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# A column of the table that the ORM leaves unmapped: the database computes it, only `q`'s WHERE
# reads it, and no row needs to carry it. Stored on PostgreSQL (versions before 18 have no
# other kind), which indexes it; the migration adds it VIRTUAL on SQLite, computed when read.
INVOICE_SEARCH_TEXT = Column("search_text", Text, Computed(SEARCH_TEXT, persisted=True))
Invoice.__table__.append_column(INVOICE_SEARCH_TEXT)  # type: ignore[attr-defined]


class InvoiceFile(SQLModel, table=True):
    """One received file form (PDF, OFD or XML) of an invoice; bytes live in the file store."""

    __tablename__ = "invoice_file"
    __table_args__ = (
        UniqueConstraint("invoice_id", "kind"),
        CheckConstraint("kind IN ('pdf', 'ofd', 'xml')", name="kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID = Field(sa_column_args=[ForeignKey("invoice.id")], index=True)
    kind: str = Field(max_length=8)
    filename: str = Field(max_length=255)
    # Identical bytes are one file, company-wide: the first level of deduplication.
    sha256: str = Field(max_length=64, unique=True)
    size: int
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TicketHold(SQLModel, table=True):
    """Which medium holds a ticket: the primary key makes paper vs e-invoice races safe."""

    __tablename__ = "ticket_hold"
    __table_args__ = (CheckConstraint("medium IN ('e-invoice', 'paper')", name="medium"),)

    ticket_key: str = Field(max_length=100, primary_key=True)
    medium: str = Field(max_length=12)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PaperVoucher(SQLModel, table=True):
    """A transition-period paper 报销凭证 or 行程单 (travel up to 2025-09-30), registered by its
    data. A paper itinerary (`kind` air) leaves `train_number` empty and names `flight_number`."""

    __tablename__ = "paper_voucher"
    __table_args__ = (
        CheckConstraint("status IN ('available', 'claimed', 'booked', 'void')", name="status"),
        CheckConstraint("kind IN ('railway', 'air')", name="kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    serial_number: str = Field(max_length=64, unique=True)
    e_ticket_number: str = Field(max_length=64)
    ticket_key: str = Field(max_length=100, unique=True)
    travel_date: dt.date
    train_number: str = Field(max_length=16)
    departure_station: str = Field(max_length=32)
    arrival_station: str = Field(max_length=32)
    seat_class: str = Field(max_length=16)
    fare: Decimal = _money()
    kind: str = Field(
        default="railway", max_length=8, sa_column_kwargs={"server_default": "railway"}
    )
    flight_number: str | None = Field(default=None, max_length=16)
    fuel_surcharge: Decimal | None = _money(nullable=True)
    civil_aviation_fund: Decimal | None = _money(nullable=True)
    other_taxes: Decimal | None = _money(nullable=True)
    passenger_name: str = Field(max_length=100)
    passenger_id_masked: str = Field(max_length=32)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], index=True)
    owner_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")], index=True)
    created_by_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    status: str = Field(default="available", max_length=16)
    received_on: dt.date | None = None
    location: str | None = Field(default=None, max_length=200)
    received_by_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("app_user.id")]
    )
    scan_sha256: str | None = Field(default=None, max_length=64)
    scan_content_type: str | None = Field(default=None, max_length=100)
    warnings: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CabinTable(SQLModel, table=True):
    """An entity's booking-class letters per cabin; an entity without a row uses the defaults
    of app.invoices.cabins."""

    __tablename__ = "cabin_table"

    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], primary_key=True)
    economy: str = Field(max_length=26)
    business: str = Field(max_length=26)
    first: str = Field(max_length=26)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
