"""HTTP endpoints to read the audit log and verify its chain (auditors and admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.audit import service
from app.audit.deps import AuditKeyDep
from app.audit.schemas import AuditEventOut, ChainVerificationOut
from app.auth.deps import require_roles
from app.auth.models import Role
from app.auth.principal import Principal
from app.db import SessionDep
from app.kit.dates import Instant
from app.kit.pagination import CursorQuery, LimitQuery, Page
from app.kit.text import QueryText

router = APIRouter(tags=["audit"])

AuditReader = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.ADMIN))]
Mac = Annotated[
    str | None, Query(pattern=r"^[0-9a-f]{64}$", description="A head MAC recorded earlier")
]
Text = Annotated[QueryText | None, Query(max_length=64)]


@router.get("/audit-events")
def list_audit_events(
    session: SessionDep,
    reader: AuditReader,
    action: Text = None,
    actor: Annotated[QueryText | None, Query(max_length=64, description="Username")] = None,
    object_type: Text = None,
    object_id: Text = None,
    entity: uuid.UUID | None = None,
    occurred_from: Annotated[Instant | None, Query(alias="from")] = None,
    occurred_to: Annotated[Instant | None, Query(alias="to")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[AuditEventOut]:
    filters = service.EventFilters(
        action, actor, object_type, object_id, entity, occurred_from, occurred_to
    )
    # Auditors see their entities' events (SPEC "Visibility"); admins everything.
    within = None if reader.is_admin else reader.entity_ids
    rows, next_cursor = service.list_events(
        session, filters=filters, cursor=cursor, limit=limit, within=within
    )
    items = [AuditEventOut.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, next_cursor=next_cursor)


@router.get("/audit-events/verify")
def verify_audit_chain(
    session: SessionDep, key: AuditKeyDep, _reader: AuditReader, expected_head: Mac = None
) -> ChainVerificationOut:
    report = service.verify_chain(session, key, expected_head)
    return ChainVerificationOut.from_report(report)
