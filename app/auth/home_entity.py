"""Which entity a person's own audit events belong to, hidden from other entities' auditors."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app.auth.models import UserEntity


def home_entity_id(session: Session, user_id: uuid.UUID) -> uuid.UUID | None:
    """The user's one legal entity; None for someone working for several (installation-wide)."""
    rows = session.exec(
        select(UserEntity.entity_id).where(UserEntity.user_id == user_id).limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None
