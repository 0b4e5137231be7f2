"""Tables of the audit log: the chained events and the single row holding the chain's head."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime

GENESIS_MAC = "0" * 64


class AuditEvent(SQLModel, table=True):
    """One event. No foreign keys: the log must outlive whatever later happens to users/entities."""

    __tablename__ = "audit_event"
    __table_args__ = (Index(None, "object_type", "object_id"),)

    # Assigned from audit_head, never by the database: the chain needs gap-free numbers.
    seq: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    occurred_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    actor_id: uuid.UUID | None = Field(default=None)
    actor_username: str | None = Field(default=None, max_length=64, index=True)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str | None = Field(default=None, max_length=64)
    entity_id: uuid.UUID | None = Field(default=None, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_mac: str = Field(max_length=64)
    mac: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The latest seq and MAC; its row lock serialises appends across processes."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = Field(default=0, sa_type=BigInteger)
    mac: str = Field(default=GENESIS_MAC, max_length=64)
