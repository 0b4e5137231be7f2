"""Tables of claims, their items, approvals, history, approval substitutes and entity policy."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.claims.policy import DEFAULT_POLICY
from app.db import UTCDateTime, utcnow

CLAIM_STATES = ("draft", "submitted", "approved", "booked", "paid")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _user_fk(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column_args=[ForeignKey("app_user.id")],
        nullable=nullable,
        index=index,
    )


class Claim(SQLModel, table=True):
    """One reimbursement claim of one employee (the claimant) against one legal entity."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(_in("state", CLAIM_STATES), name="state"),
        CheckConstraint("approved_levels <= required_levels", name="levels"),
        # A unique index, not a constraint: SQLite adds one without rebuilding the table.
        Index(None, "entity_id", "number", unique=True),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], index=True)
    # The human number BX-<YYYYMM>-<nnnn> (month of creation, Asia/Shanghai), unique per entity.
    number: str = Field(max_length=24)
    claimant_id: uuid.UUID = _user_fk(nullable=False, index=True)
    title: str = Field(max_length=200)
    purpose: str = Field(max_length=2000)
    state: str = Field(default="draft", max_length=16, index=True)
    total: Decimal = Field(default=Decimal("0.00"), sa_type=Numeric(14, 2))
    # Submission count: approvals belong to one round, and a rejection starts the next.
    round: int = 0
    # The approval route fixed at submission: 0 in draft, 1 or 2 once submitted.
    required_levels: int = 0
    approved_levels: int = 0
    level1_approver_id: uuid.UUID | None = _user_fk()
    level2_approver_id: uuid.UUID | None = _user_fk()
    # Whose decision the claim waits for (None unless submitted): serves `awaiting=me`.
    awaiting_approver_id: uuid.UUID | None = _user_fk(index=True)
    last_rejection_reason: str | None = Field(default=None, max_length=2000)
    last_rejected_by_id: uuid.UUID | None = _user_fk()
    last_rejected_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    approved_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimNumberSequence(SQLModel, table=True):
    """The last claim number given per entity and month; incremented under the row's lock."""

    __tablename__ = "claim_number_sequence"

    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], primary_key=True)
    # YYYYMM, the month of creation in Asia/Shanghai.
    month: str = Field(max_length=6, primary_key=True)
    last_number: int = 0


class ClaimItem(SQLModel, table=True):
    """An invoice or a paper voucher in a claim; each belongs to at most one claim, ever at once.

    The row stays when the claim is booked, so the UNIQUE constraints also make booking final.
    """

    __tablename__ = "claim_item"
    __table_args__ = (
        CheckConstraint(
            "(invoice_id IS NULL) <> (paper_voucher_id IS NULL)", name="exactly_one_document"
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column_args=[ForeignKey("claim.id")], index=True)
    invoice_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("invoice.id")], unique=True
    )
    paper_voucher_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("paper_voucher.id")], unique=True
    )
    justification: str | None = Field(default=None, max_length=1000)
    amount: Decimal = Field(sa_type=Numeric(14, 2))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimApproval(SQLModel, table=True):
    """One level's approval in one round; the ledger reads it to keep approvers from booking."""

    __tablename__ = "claim_approval"
    __table_args__ = (UniqueConstraint("claim_id", "round", "level"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column_args=[ForeignKey("claim.id")], index=True)
    round: int
    level: int
    approver_id: uuid.UUID = _user_fk(nullable=False, index=True)
    # The designated approver when a substitute decided instead.
    on_behalf_of_id: uuid.UUID | None = _user_fk()
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, max_length=2000)
    acknowledged_warnings: list[dict[str, str | None]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class ClaimHistory(SQLModel, table=True):
    """Every transition of a claim: what, who, when and why."""

    __tablename__ = "claim_history"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column_args=[ForeignKey("claim.id")], index=True)
    # Free text (created, submitted, withdrawn, approved, rejected, …) so later steps such as
    # booking, payment and reversal add their actions without a schema change.
    action: str = Field(max_length=32)
    actor_id: uuid.UUID = _user_fk(nullable=False)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, max_length=2000)


class ApprovalSubstitute(SQLModel, table=True):
    """Someone who may decide for an approver on the business dates starts_on..ends_on."""

    __tablename__ = "approval_substitute"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="range"),
        CheckConstraint("substitute_id <> approver_id", name="not_self"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    approver_id: uuid.UUID = _user_fk(nullable=False, index=True)
    substitute_id: uuid.UUID = _user_fk(nullable=False, index=True)
    starts_on: dt.date
    ends_on: dt.date
    created_by_id: uuid.UUID = _user_fk(nullable=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class ClaimPolicy(SQLModel, table=True):
    """An entity's claim policy; an entity without a row uses `DEFAULT_POLICY`."""

    __tablename__ = "claim_policy"
    __table_args__ = (
        CheckConstraint("approval_threshold >= 0", name="threshold"),
        CheckConstraint("business_class_min_grade >= first_class_min_grade", name="grades"),
        CheckConstraint("late_submission_days > 0", name="late_days"),
    )

    entity_id: uuid.UUID = Field(sa_column_args=[ForeignKey("legal_entity.id")], primary_key=True)
    approval_threshold: Decimal = Field(
        default=DEFAULT_POLICY.approval_threshold, sa_type=Numeric(14, 2)
    )
    fallback_approver_id: uuid.UUID | None = _user_fk()
    first_class_min_grade: int = DEFAULT_POLICY.first_class_min_grade
    business_class_min_grade: int = DEFAULT_POLICY.business_class_min_grade
    late_submission_days: int = DEFAULT_POLICY.late_submission_days
    # Read by the ledger: an approver may not book, a booker may not pay.
    segregation_of_duties: bool = DEFAULT_POLICY.segregation_of_duties
    updated_by_id: uuid.UUID | None = _user_fk()
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
