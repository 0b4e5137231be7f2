"""The e-mail outbox: one row per message, rendered when the change that causes it commits."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Text
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

NOTIFICATION_KINDS = ("claim.awaiting", "claim.approved", "claim.rejected", "claim.paid")
# `expired`: it waited longer than the sender's age limit (SMTP was off or down); never sent.
NOTIFICATION_STATUSES = ("pending", "sent", "dead", "expired")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Notification(SQLModel, table=True):
    """An e-mail to one user about one claim; the sender leases, sends and records it."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint(_in("kind", NOTIFICATION_KINDS), name="kind"),
        CheckConstraint(_in("status", NOTIFICATION_STATUSES), name="status"),
        # The sender's scan for due messages.
        Index(None, "status", "next_attempt_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")], index=True)
    claim_id: uuid.UUID | None = Field(
        default=None, sa_column_args=[ForeignKey("claim.id", ondelete="SET NULL")], index=True
    )
    kind: str = Field(max_length=32)
    # Copied at enqueue time: the message goes where the address pointed when it happened.
    to_address: str = Field(max_length=254)
    language: str = Field(max_length=8)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_attempt_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
