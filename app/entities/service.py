"""Registering and listing legal entities."""

from __future__ import annotations

import uuid
from collections.abc import Set
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit.service import AuditedActor, AuditedObject, EventRecorder, audit_key
from app.config import Settings
from app.entities.errors import DuplicateEntity
from app.entities.models import LegalEntity
from app.entities.schemas import EntityCreate, EntityOut
from app.kit.pagination import paginate_table


class EntityViewer(Protocol):
    """Who lists entities (a principal): entities sit below auth and never import it."""

    @property
    def is_admin(self) -> bool: ...

    @property
    def entity_ids(self) -> Set[uuid.UUID]: ...


def create_entity(
    session: Session, data: EntityCreate, *, actor: AuditedActor | None, settings: Settings
) -> EntityOut:
    """Registers a legal entity; `actor` None means the system (CLI, demo)."""
    entity = LegalEntity(
        name=data.name,
        uscc=data.uscc,
        taxpayer_type=data.taxpayer_type,
        # The 全宗号 is assigned by the archive authority; until then the USCC identifies the fonds.
        fonds_code=data.fonds_code or data.uscc,
    )
    session.add(entity)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise DuplicateEntity(
            f"A legal entity with USCC {data.uscc} exists.", uscc=data.uscc
        ) from exc
    EventRecorder(actor, audit_key(settings)).record(
        session,
        "entity.created",
        AuditedObject("legal_entity", entity.id, entity.id),
        details={"name": entity.name, "uscc": entity.uscc, "taxpayer_type": entity.taxpayer_type},
    )
    session.commit()
    return EntityOut.model_validate(entity, from_attributes=True)


def list_entities(
    session: Session, *, principal: EntityViewer, cursor: str | None, limit: int
) -> tuple[list[EntityOut], str | None]:
    """Admins see every entity; everyone else the entities they work for."""
    statement = select(LegalEntity)
    if not principal.is_admin:
        statement = statement.where(col(LegalEntity.id).in_(principal.entity_ids))
    rows, next_cursor = paginate_table(session, statement, LegalEntity, cursor=cursor, limit=limit)
    return [EntityOut.model_validate(e, from_attributes=True) for e in rows], next_cursor
