"""Which legal entity and period a ledger or archive page shows: the query's, else the default."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query
from sqlmodel import Session

from app.auth.principal import Principal
from app.entities import service as entity_service
from app.entities.schemas import EntityOut
from app.kit.dates import YearMonth, business_today
from app.ledger.periods import period_of
from app.ledger.queries import resolve_entity

MonthQuery = Annotated[YearMonth | None, Query(description="YYYY-MM")]


@dataclass(frozen=True)
class Scope:
    entity_id: uuid.UUID
    entities: list[EntityOut]  # offered in a picker when there is more than one

    @property
    def entity(self) -> EntityOut | None:
        return next((e for e in self.entities if e.id == self.entity_id), None)


def scope_of(session: Session, principal: Principal, entity: uuid.UUID | None) -> Scope:
    """The entity asked for (which the caller must work for), else their only or first one."""
    entities, _ = entity_service.list_entities(session, principal=principal, cursor=None, limit=200)
    if entity is None and len(principal.entity_ids) != 1 and entities:
        own = [e for e in entities if e.id in principal.entity_ids] or entities
        entity = own[-1].id
    return Scope(resolve_entity(principal, entity), entities)


def this_month() -> str:
    return period_of(business_today())
