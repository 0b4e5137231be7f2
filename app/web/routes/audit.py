"""Auditor pages: the archive export download, the 四性 integrity report and the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.responses import Response

from app.archive.export import start_export, stream_export
from app.archive.schemas import ArchiveReportOut
from app.archive.verify import verify_archive
from app.audit import service as audit_service
from app.audit.models import AuditEvent
from app.audit.schemas import ChainVerificationOut
from app.auth.models import Role
from app.auth.principal import Principal
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.dates import BUSINESS_TZ, business_today
from app.kit.pagination import CursorQuery
from app.kit.streaming import streamed_download
from app.ledger.queries import resolve_entity
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.audit_labels import ACTION_LABELS, CHECK_LABELS, CHECKED_LABELS, OBJECT_TYPE_LABELS
from app.web.errors import WEB_PAGE_TAG
from app.web.filter_forms import ArchiveExportFilters, AuditLogFilters
from app.web.present import ASPECTS
from app.web.query_forms import QueryForm, query_form
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


def _archive_page(
    request: Request,
    session: Session,
    principal: Principal,
    entity: uuid.UUID | None,
    form: QueryForm[ArchiveExportFilters] | None = None,
) -> Response:
    month = this_month()
    context = {
        "scope": scope_of(session, principal, entity),
        "values": form.values if form else {"from": month, "to": month},
        "errors": form.errors.fields if form else {},
    }
    status_code = form.status_code if form else 200
    return render(
        request, "audit/archive.html", context, principal=principal, status_code=status_code
    )


@router.get("/audit/archive")
def archive_page(
    request: Request,
    session: SessionDep,
    principal: ArchiveExporter,
    entity: uuid.UUID | None = None,
) -> Response:
    return _archive_page(request, session, principal, entity)


ArchiveForm = Annotated[QueryForm[ArchiveExportFilters], Depends(query_form(ArchiveExportFilters))]


@router.get("/audit/archive/export", response_class=StreamingResponse)
def archive_download(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: ArchiveExporter,
    form: ArchiveForm,
) -> Response:
    """The BagIt zip, streamed; the export is audited before its first byte. A wrong range
    gives the form back with the user's months and the error beside the field."""
    if form.data is None:
        return _archive_page(request, session, principal, _entity_of(form), form)
    try:
        plan = start_export(
            session,
            entity_id=resolve_entity(principal, form.data.entity),
            period_from=form.data.period_from,
            period_to=form.data.period_to,
            actor=principal.user,
            key=audit_service.audit_key(settings),
        )
    except AppError as exc:
        form.refuse(exc)
        return _archive_page(request, session, principal, _entity_of(form), form)
    return streamed_download(
        request,
        lambda read_session: stream_export(read_session, store=store, plan=plan),
        filename=plan.filename,
        media_type="application/zip",
    )


def _entity_of(form: QueryForm[ArchiveExportFilters]) -> uuid.UUID | None:
    """The entity the user picked, kept in the picker when another field was wrong."""
    try:
        return uuid.UUID(form.values["entity"]) if form.values.get("entity") else None
    except ValueError:
        return None


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


AuditLogForm = Annotated[QueryForm[AuditLogFilters], Depends(query_form(AuditLogFilters))]


@router.get("/audit/log")
def audit_log_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AuditWebUser,
    form: AuditLogForm,
    cursor: CursorQuery = None,
) -> Response:
    events: list[AuditEvent] = []
    next_cursor, chain = None, None
    if form.data is not None:
        try:
            events, next_cursor = audit_service.list_events(
                session,
                filters=_event_filters(form.data),
                cursor=cursor,
                limit=PAGE_SIZE,
                within=None if principal.is_admin else principal.entity_ids,
            )
        except AppError as exc:
            form.refuse(exc)
    if form.data is not None and form.data.verify:
        report = audit_service.verify_chain(session, audit_service.audit_key(settings))
        chain = ChainVerificationOut.from_report(report)
    context = {
        "events": events,
        "next_cursor": next_cursor,
        "chain": chain,
        "values": form.values,
        "errors": form.errors.fields,
        "actions": ACTION_LABELS,
        "object_types": OBJECT_TYPE_LABELS,
    }
    return render(
        request, "audit/log.html", context, principal=principal, status_code=form.status_code
    )


def _event_filters(data: AuditLogFilters) -> audit_service.EventFilters:
    return audit_service.EventFilters(
        data.action or None,
        data.actor or None,
        data.object_type or None,
        data.object_id or None,
        # As the API: an entity outside the reader's gives nothing, never that entity's events.
        data.entity,
        _start_of(data.day_from),
        _start_of(data.until),
    )
