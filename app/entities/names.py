"""Names of legal entities by id, for pages and printouts that name the company."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from app.entities.models import LegalEntity


def entity_name(session: Session, entity_id: uuid.UUID) -> str | None:
    return session.exec(select(LegalEntity.name).where(LegalEntity.id == entity_id)).first()
