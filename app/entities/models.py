"""Table of legal entities (法人主体)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow

TAXPAYER_TYPES = ("general", "small-scale")


class LegalEntity(SQLModel, table=True):
    __tablename__ = "legal_entity"
    __table_args__ = (
        CheckConstraint("taxpayer_type IN ('general', 'small-scale')", name="taxpayer_type_known"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    uscc: str = Field(max_length=18, unique=True)
    taxpayer_type: str = Field(default="general", max_length=16)
    fonds_code: str = Field(max_length=32)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
