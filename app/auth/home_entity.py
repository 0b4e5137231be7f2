"""Which entity a person's own audit events belong to (hidden from other entities' auditors), and
recording them there."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, select

from app.audit.service import AuditedActor, AuditedObject, EventRecorder
from app.auth.models import UserEntity


def home_entity_id(session: Session, user_id: uuid.UUID) -> uuid.UUID | None:
    """The user's one legal entity; None for someone working for several (installation-wide)."""
    rows = session.exec(
        select(UserEntity.entity_id).where(UserEntity.user_id == user_id).limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None


def record_account_event(
    session: Session,
    *,
    actor: AuditedActor | None,
    user_id: uuid.UUID,
    action: str,
    details: dict[str, Any],
    key: bytes,
    token_id: uuid.UUID | None = None,
) -> None:
    """An audit event about a person's account, or one of its tokens, in their home entity."""
    EventRecorder(actor, key).record(
        session,
        action,
        AuditedObject(
            "user" if token_id is None else "api_token",
            user_id if token_id is None else token_id,
            home_entity_id(session, user_id),
        ),
        details=details,
    )
