"""HTTP endpoints of the archive: the BagIt export, the 四性 check, and purging after retention."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from app.archive.retention import purge_record
from app.archive.schemas import ArchiveReportOut
from app.archive.service import start_export, stream_export, verify_archive_today
from app.audit.deps import AuditKeyDep
from app.auth.deps import AdminUser, require_roles
from app.auth.models import Role
from app.auth.principal import Principal
from app.db import ReadSessionDep, SessionDep
from app.kit.dates import YearMonth, business_today
from app.kit.streaming import streamed_download
from app.ledger.queries import resolve_entity
from app.storage.deps import StoreDep

router = APIRouter(prefix="/archive", tags=["archive"])

# Finance compiles the archive and hands it over (会计档案管理办法), so it may export too.
Exporter = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.ADMIN, Role.FINANCE))]
Verifier = Annotated[Principal, Depends(require_roles(Role.AUDITOR, Role.ADMIN))]
# One Query per parameter: a second Query in the same Annotated replaces the first, pattern too.
MonthFrom = Annotated[YearMonth, Query(alias="from", description="YYYY-MM")]
MonthTo = Annotated[YearMonth, Query(alias="to", description="YYYY-MM")]
Mac = Annotated[
    str | None,
    Query(pattern=r"^[0-9a-f]{64}$", description="Audit head MAC from an earlier export"),
]


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
def export_archive(
    request: Request,
    session: SessionDep,
    key: AuditKeyDep,
    store: StoreDep,
    principal: Exporter,
    period_from: MonthFrom,
    period_to: MonthTo,
    entity: uuid.UUID | None = None,
) -> StreamingResponse:
    plan = start_export(
        session,
        entity_id=resolve_entity(principal, entity),
        period_from=period_from,
        period_to=period_to,
        actor=principal.user,
        key=key,
    )
    return streamed_download(
        request,
        lambda read_session: stream_export(read_session, store=store, plan=plan),
        filename=plan.filename,
        media_type="application/zip",
    )


@router.get("/verify")
def verify(
    read_session: ReadSessionDep,
    key: AuditKeyDep,
    store: StoreDep,
    _reader: Verifier,
    expected_head: Mac = None,
) -> ArchiveReportOut:
    return verify_archive_today(read_session, store=store, key=key, expected_head=expected_head)


@router.delete(
    "/records/{record_id}",
    status_code=204,
    responses={409: {"description": "retention-active"}},
)
def purge(
    session: SessionDep, key: AuditKeyDep, principal: AdminUser, record_id: uuid.UUID
) -> Response:
    purge_record(
        session,
        record_id=record_id,
        today=business_today(),
        actor=principal.user,
        key=key,
    )
    return Response(status_code=204)
