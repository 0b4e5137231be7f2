"""Auditor pages: the archive export download, the 四性 integrity report and the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.responses import Response

from app.archive.export import start_export, stream_export
from app.archive.schemas import ArchiveReportOut
from app.archive.verify import verify_archive
from app.audit import service as audit_service
from app.audit.schemas import ChainVerificationOut
from app.auth.models import Role
from app.auth.principal import Principal
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices.deps import StoreDep
from app.kit.dates import BUSINESS_TZ, Day, YearMonth, business_today
from app.kit.pagination import CursorQuery
from app.kit.text import QueryText
from app.ledger.queries import resolve_entity
from app.web.audit_labels import ACTION_LABELS, CHECK_LABELS, CHECKED_LABELS, OBJECT_TYPE_LABELS
from app.web.errors import WEB_PAGE_TAG
from app.web.present import ASPECTS
from app.web.scope import scope_of, this_month
from app.web.session import require_web_roles
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50
# The API's archive roles: finance compiles and hands over the archive, so it may export too.
ArchiveExporter = Annotated[
    Principal, Depends(require_web_roles(Role.AUDITOR, Role.ADMIN, Role.FINANCE))
]
AuditWebUser = Annotated[Principal, Depends(require_web_roles(Role.AUDITOR, Role.ADMIN))]
# One Query per parameter: a second Query in the same Annotated replaces the first, pattern too.
MonthFrom = Annotated[YearMonth, Query(alias="from")]
MonthTo = Annotated[YearMonth, Query(alias="to")]
Text = Annotated[QueryText | None, Query(max_length=64)]


@router.get("/audit/archive")
def archive_page(
    request: Request,
    session: SessionDep,
    principal: ArchiveExporter,
    entity: uuid.UUID | None = None,
) -> Response:
    context = {"scope": scope_of(session, principal, entity), "this_month": this_month()}
    return render(request, "audit/archive.html", context, principal=principal)


@router.get("/audit/archive/export", response_class=StreamingResponse)
def archive_download(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: ArchiveExporter,
    period_from: MonthFrom,
    period_to: MonthTo,
    entity: uuid.UUID | None = None,
) -> StreamingResponse:
    """The BagIt zip, streamed; the export is audited before its first byte."""
    plan = start_export(
        session,
        entity_id=resolve_entity(principal, entity),
        period_from=period_from,
        period_to=period_to,
        actor=principal.user,
        key=audit_service.audit_key(settings),
    )
    read_session = Session(request.app.state.read_engine)

    def body() -> Iterator[bytes]:
        try:
            yield from stream_export(read_session, store=store, plan=plan)
        finally:
            read_session.close()

    disposition = f'attachment; filename="{plan.filename}"'
    return StreamingResponse(
        body(), media_type="application/zip", headers={"Content-Disposition": disposition}
    )


@router.get("/audit/integrity")
def integrity_page(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    principal: AuditWebUser,
    expected_head: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
) -> Response:
    with Session(request.app.state.read_engine) as read_session:
        report = verify_archive(
            read_session,
            store=store,
            key=audit_service.audit_key(settings),
            expected_head=expected_head,
            today=business_today(),
        )
    context = {
        "report": ArchiveReportOut.of(report),
        "expected_head": expected_head,
        "aspects": ASPECTS,
        "checked_labels": CHECKED_LABELS,
        "check_labels": CHECK_LABELS,
    }
    return render(request, "audit/integrity.html", context, principal=principal)


def _start_of(day: dt.date | None) -> dt.datetime | None:
    """A business date's first instant in China, as the log's timestamps are compared."""
    return dt.datetime.combine(day, dt.time(), BUSINESS_TZ) if day else None


@router.get("/audit/log")
def audit_log_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AuditWebUser,
    action: Text = None,
    actor: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    entity: uuid.UUID | None = None,
    day_from: Annotated[Day | None, Query(alias="from")] = None,
    day_to: Annotated[Day | None, Query(alias="to")] = None,
    verify: bool = False,
    cursor: CursorQuery = None,
) -> Response:
    until = day_to + dt.timedelta(days=1) if day_to else None
    filters = audit_service.EventFilters(
        action or None,
        actor or None,
        object_type or None,
        object_id or None,
        # As the API: an entity outside the reader's gives nothing, never that entity's events.
        entity,
        _start_of(day_from),
        _start_of(until),
    )
    within = None if principal.is_admin else principal.entity_ids
    events, next_cursor = audit_service.list_events(
        session, filters=filters, cursor=cursor, limit=PAGE_SIZE, within=within
    )
    chain = None
    if verify:
        report = audit_service.verify_chain(session, audit_service.audit_key(settings))
        chain = ChainVerificationOut.from_report(report)
    context = {
        "events": events,
        "next_cursor": next_cursor,
        "chain": chain,
        "filters": filters,
        "day_from": day_from,
        "day_to": day_to,
        "actions": ACTION_LABELS,
        "object_types": OBJECT_TYPE_LABELS,
    }
    return render(request, "audit/log.html", context, principal=principal)
