"""Tables of webhook subscriptions, the event outbox and one delivery row per event and receiver."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

EventType = Literal[
    "invoice.created",
    "claim.submitted",
    "claim.approved",
    "claim.rejected",
    "claim.booked",
    "claim.paid",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
# `cancelled`: the subscription was deleted before the delivery went out; never listed.
DELIVERY_STATUSES = ("pending", "delivered", "dead", "cancelled")

# SQLite numbers rows only through an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class WebhookSubscription(SQLModel, table=True):
    """A receiver URL, its signing secret and the event types it wants (empty: all)."""

    __tablename__ = "webhook_subscription"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    url: str = Field(max_length=2000)
    # Kept readable: every delivery is signed with it. Returned once, at creation.
    secret: str = Field(max_length=200)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Soft delete: the delivery log and audit trail keep pointing at a row that exists.
    deleted_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookEvent(SQLModel, table=True):
    """The outbox: one row per business event, written in the transaction of the change."""

    __tablename__ = "webhook_event"
    __table_args__ = (CheckConstraint(_in("event_type", EVENT_TYPES), name="event_type"),)

    # Database-assigned order of events; per ordering key it follows the commit order because
    # callers enqueue while holding the lock of the object the key names.
    seq: int | None = Field(
        default=None, sa_column=Column(_SEQ_TYPE, primary_key=True, autoincrement=True)
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    event_type: str = Field(max_length=32)
    ordering_key: str | None = Field(default=None, max_length=100)
    # The exact JSON bytes every attempt sends and signs, so a retry is byte-identical.
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class WebhookDelivery(SQLModel, table=True):
    """One event on its way to one subscription: attempts, outcome and when to try next."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
        UniqueConstraint("subscription_id", "event_id"),
        # The worker's scan for due deliveries.
        Index(None, "status", "next_attempt_at"),
        # "Is an earlier delivery of this key still outstanding?" per subscription.
        Index(None, "subscription_id", "ordering_key", "event_seq"),
        # The delivery log, newest first.
        Index(None, "subscription_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    subscription_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("webhook_subscription.id"), nullable=False)
    )
    event_id: uuid.UUID = Field(sa_column=Column(ForeignKey("webhook_event.id"), nullable=False))
    # Copied from the event so the ordering check needs no join.
    event_seq: int = Field(sa_type=BigInteger)
    event_type: str = Field(max_length=32)
    ordering_key: str | None = Field(default=None, max_length=100)
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(sa_type=UTCDateTime)
    last_attempt_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
