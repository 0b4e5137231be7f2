"""Auditor pages: the archive export download, the 四性 integrity report and the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from app.archive.service import start_export, stream_export, verify_archive_today
from app.audit import service as audit_service
from app.audit.deps import AuditKeyDep
from app.audit.models import AuditEvent
from app.audit.schemas import ChainVerificationOut
from app.auth.models import Role
from app.db import ReadSessionDep
from app.kit.dates import BUSINESS_TZ
from app.kit.pagination import CursorQuery
from app.kit.streaming import streamed_download
from app.ledger.queries import resolve_entity
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.audit_labels import ACTION_LABELS, CHECK_LABELS, CHECKED_LABELS, OBJECT_TYPE_LABELS
from app.web.errors import WEB_PAGE_TAG
from app.web.filter_forms import ArchiveExportFilters, AuditLogFilters
from app.web.page_call import PageCall, page_call
from app.web.present import ASPECTS
from app.web.query_forms import QueryForm, query_form
from app.web.scope import scope_of, this_month
from app.web.session import AuditWebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 50
# The API's archive roles: finance compiles and hands over the archive, so it may export too.
ArchivePage = Annotated[PageCall, Depends(page_call(Role.AUDITOR, Role.ADMIN, Role.FINANCE))]
AuditPage = Annotated[PageCall, Depends(page_call(Role.AUDITOR, Role.ADMIN))]


def _archive_page(
    page: PageCall,
    entity: uuid.UUID | None,
    form: QueryForm[ArchiveExportFilters] | None = None,
) -> Response:
    month = this_month()
    context = {
        "scope": scope_of(page.session, page.principal, entity),
        "values": form.values if form else {"from": month, "to": month},
        "errors": form.errors.fields if form else {},
    }
    return page.render("audit/archive.html", context, status_code=form.status_code if form else 200)


@router.get("/audit/archive")
def archive_page(page: ArchivePage, entity: uuid.UUID | None = None) -> Response:
    return _archive_page(page, entity)


ArchiveForm = Annotated[QueryForm[ArchiveExportFilters], Depends(query_form(ArchiveExportFilters))]


@router.get("/audit/archive/export", response_class=StreamingResponse)
def archive_download(
    page: ArchivePage, key: AuditKeyDep, store: StoreDep, form: ArchiveForm
) -> Response:
    """The BagIt zip, streamed; the export is audited before its first byte. A wrong range
    gives the form back with the user's months and the error beside the field."""
    if form.data is None:
        return _archive_page(page, _entity_of(form), form)
    try:
        plan = start_export(
            page.session,
            entity_id=resolve_entity(page.principal, form.data.entity),
            period_from=form.data.period_from,
            period_to=form.data.period_to,
            actor=page.principal.user,
            key=key,
        )
    except AppError as exc:
        form.refuse(exc)
        return _archive_page(page, _entity_of(form), form)
    return streamed_download(
        page.request,
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
    key: AuditKeyDep,
    store: StoreDep,
    principal: AuditWebUser,
    read_session: ReadSessionDep,
    expected_head: Annotated[str | None, Query(pattern=r"^[0-9a-f]{64}$")] = None,
) -> Response:
    report = verify_archive_today(read_session, store=store, key=key, expected_head=expected_head)
    context = {
        "report": report,
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
    page: AuditPage, key: AuditKeyDep, form: AuditLogForm, cursor: CursorQuery = None
) -> Response:
    session, principal = page.session, page.principal
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
        report = audit_service.verify_chain(session, key)
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
    return page.render("audit/log.html", context, status_code=form.status_code)


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
