"""HTTP endpoints for legal entities."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.auth.deps import AdminUser, CurrentUser
from app.config import SettingsDep
from app.db import SessionDep
from app.entities import service
from app.entities.schemas import EntityCreate, EntityOut
from app.kit.pagination import CursorQuery, LimitQuery, Page

router = APIRouter(tags=["entities"])


@router.get("/entities")
def list_entities(
    session: SessionDep, principal: CurrentUser, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[EntityOut]:
    return Page.of(service.list_entities(session, principal=principal, cursor=cursor, limit=limit))


@router.post("/entities", status_code=status.HTTP_201_CREATED)
def create_entity(
    session: SessionDep, settings: SettingsDep, admin: AdminUser, data: EntityCreate
) -> EntityOut:
    return service.create_entity(session, data, actor=admin.user, settings=settings)
