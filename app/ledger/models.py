"""Tables of accounting periods, voucher number sequences, journal vouchers and their lines."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

VOUCHER_KINDS = ("booking", "payment", "reversal")


class Period(SQLModel, table=True):
    """An entity's accounting month; created open on first use, closed by finance."""

    __tablename__ = "accounting_period"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], primary_key=True)
    period: str = Field(max_length=7, primary_key=True)  # YYYY-MM
    status: str = Field(default="open", max_length=8)
    # The next voucher number is last_number + 1; incremented under the row lock.
    last_number: int = 0
    closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: uuid.UUID | None = Field(default=None, sa_column_args=[ForeignKey("app_user.id")])
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JournalVoucher(SQLModel, table=True):
    """A 记账凭证: balanced lines, numbered without gaps per entity and period."""

    __tablename__ = "journal_voucher"
    __table_args__ = (
        UniqueConstraint("entity_id", "period", "number"),
        CheckConstraint("kind IN ('booking', 'payment', 'reversal')", name="kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], index=True)
    period: str = Field(max_length=7)
    number: int
    number_text: str = Field(max_length=24)
    date: dt.date
    kind: str = Field(max_length=12)
    claim_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("claim.id")], index=True
    )
    reverses_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("journal_voucher.id")], unique=True
    )
    attachments_count: int = 0
    prepared_by_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    approved_by_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("app_user.id")]
    )
    total: Decimal = Field(sa_type=Numeric(14, 2))
    payment_reference: str | None = Field(default=None, max_length=100)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class JournalLine(SQLModel, table=True):
    __tablename__ = "journal_line"
    __table_args__ = (
        UniqueConstraint("voucher_id", "line_no"),
        CheckConstraint("debit = 0 OR credit = 0", name="one_side"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    voucher_id: uuid.UUID = Field(sa_column_args=[ForeignKey("journal_voucher.id")], index=True)
    line_no: int
    account_code: str = Field(max_length=32)
    account_name: str = Field(max_length=100)
    debit: Decimal = Field(default=Decimal("0.00"), sa_type=Numeric(14, 2))
    credit: Decimal = Field(default=Decimal("0.00"), sa_type=Numeric(14, 2))
    memo: str = Field(max_length=200)
    department: str | None = Field(default=None, max_length=100)
    cost_centre: str | None = Field(default=None, max_length=64)
    invoice_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("invoice.id")], index=True
    )
    paper_voucher_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("paper_voucher.id")], index=True
    )
    # The deductible tax basis (invoice, computed, none) of a VAT line, for the input-VAT report.
    tax_basis: str | None = Field(default=None, max_length=12)


class BookedDocument(SQLModel, table=True):
    """财会〔2020〕6号: each invoice or paper voucher is booked at most once, ever."""

    __tablename__ = "booked_document"
    __table_args__ = (
        CheckConstraint(
            "(invoice_id IS NULL) <> (paper_voucher_id IS NULL)", name="exactly_one_document"
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("invoice.id")], unique=True
    )
    paper_voucher_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("paper_voucher.id")], unique=True
    )
    voucher_id: uuid.UUID = Field(sa_column_args=[ForeignKey("journal_voucher.id")], index=True)
    booked_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimPosting(SQLModel, table=True):
    """A claim is booked once and paid once: the unique pair makes double posting impossible."""

    __tablename__ = "claim_posting"
    __table_args__ = (
        UniqueConstraint("claim_id", "kind"),
        CheckConstraint("kind IN ('booking', 'payment')", name="kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column_args=[ForeignKey("claim.id")])
    kind: str = Field(max_length=12)
    voucher_id: uuid.UUID = Field(sa_column_args=[ForeignKey("journal_voucher.id")])
    actor_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LedgerAccount(SQLModel, table=True):
    """An entity's account for a posting role, optionally per department (else the defaults)."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        UniqueConstraint("entity_id", "role", "department"),
        CheckConstraint("role IN ('travel_expense', 'input_vat', 'payable', 'bank')", name="role"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], index=True)
    role: str = Field(max_length=16)
    department: str | None = Field(default=None, max_length=100)
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)
