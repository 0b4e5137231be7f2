"""Tables of the archive: one record per journal voucher and the files in its folder."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

FILE_ROLES = (
    "voucher",
    "report",
    "metadata",
    "approval-history",
    "invoice-original",
    "invoice-xbrl",
    "paper-voucher",
    "paper-scan",
)


class ArchiveRecord(SQLModel, table=True):
    """A voucher's archive unit (DA/T 94/95): its 档号, retention and folder of files.

    Rows are only ever inserted: corrections are new (reversal) vouchers with their own record.
    """

    __tablename__ = "archive_record"
    __table_args__ = (
        Index(None, "entity_id", "period", "voucher_number"),
        CheckConstraint("kind IN ('booking', 'payment', 'reversal')", name="kind"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    # 档号: <全宗号>-<year>-<MM>-<voucher no.>, unique across the installation.
    reference: str = Field(max_length=100, unique=True)
    voucher_id: uuid.UUID = Field(sa_column_args=[ForeignKey("journal_voucher.id")], unique=True)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")])
    claim_id: uuid.UUID | None = Field(default=None, sa_column_args=[ForeignKey("claim.id")])
    kind: str = Field(max_length=12)
    fiscal_year: int
    period: str = Field(max_length=7)
    voucher_number: int
    voucher_number_text: str = Field(max_length=24)
    total: Decimal = Field(sa_type=Numeric(14, 2))
    # Last day of retention: 30 years counted from the day after the fiscal year ends.
    retention_until: dt.date
    # How many archive_file rows the folder has: a deleted row is then detected, not unnoticed.
    file_count: int
    metadata_sha256: str = Field(max_length=64)
    archived_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ArchiveFile(SQLModel, table=True):
    """One file of a record's folder; its bytes live content-addressed in the file store."""

    __tablename__ = "archive_file"
    __table_args__ = (
        UniqueConstraint("record_id", "path"),
        CheckConstraint(
            "role IN (" + ", ".join(repr(role) for role in FILE_ROLES) + ")", name="role"
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    record_id: uuid.UUID = Field(sa_column_args=[ForeignKey("archive_record.id")], index=True)
    path: str = Field(max_length=255)
    role: str = Field(max_length=24)
    sha256: str = Field(max_length=64, index=True)
    size: int = Field(sa_type=BigInteger)
    invoice_id: uuid.UUID | None = Field(default=None, sa_column_args=[ForeignKey("invoice.id")])
    paper_voucher_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("paper_voucher.id")]
    )


class VerifyCheckpoint(SQLModel, table=True):
    """A full 四性 check that passed: where `archive verify --since-last` picks up from.

    Sealed with the audit key, so a row written by hand (moving the start past events or
    records nobody checked) is refused rather than trusted."""

    __tablename__ = "archive_verify_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    # When the check began: rows made from then on are re-checked by the next --since-last.
    started_at: dt.datetime = Field(sa_type=UTCDateTime)
    # The last audit event the check walked: the next walk starts right after it.
    audit_seq: int
    audit_mac: str = Field(max_length=64)
    archive_records: int
    stored_files: int
    seal: str = Field(max_length=64)
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
