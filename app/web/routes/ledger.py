"""Ledger pages: vouchers by period with their lines, exports, period close and the VAT report."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.models import Role
from app.auth.names import display_names
from app.auth.principal import Principal
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.ledger import exports, queries
from app.ledger.closing import LedgerActor, set_period_status
from app.ledger.vat_report import input_vat_report
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.i18n import request_lang
from app.web.present import problem_view
from app.web.scope import MonthQuery, scope_of, this_month
from app.web.session import AdminWebUser, FinanceWebUser, require_web_roles
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
# As the API's ledger readers: finance, auditors and admins.
LedgerWebUser = Annotated[
    Principal, Depends(require_web_roles(Role.FINANCE, Role.AUDITOR, Role.ADMIN))
]


@router.get("/finance/vouchers")
def vouchers_page(
    request: Request,
    session: SessionDep,
    principal: LedgerWebUser,
    period: MonthQuery = None,
    entity: uuid.UUID | None = None,
    cursor: CursorQuery = None,
) -> Response:
    scope = scope_of(session, principal, entity)
    period = period or this_month()
    vouchers, next_cursor = queries.list_vouchers(
        session,
        principal,
        entity=scope.entity_id,
        period=period,
        updated_since=None,
        cursor=cursor,
        limit=PAGE_SIZE,
    )
    context = {
        "vouchers": vouchers,
        "next_cursor": next_cursor,
        "period": period,
        "scope": scope,
        "names": display_names(session, {v.prepared_by for v in vouchers}),
    }
    return render(request, "finance/vouchers.html", context, principal=principal)


@router.get("/finance/vouchers/export", response_class=StreamingResponse)
def export_vouchers(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: LedgerWebUser,
    period: MonthQuery = None,
    entity: uuid.UUID | None = None,
    format: exports.ExportFormat = "csv",
) -> StreamingResponse:
    """The download streams from the export service, audited before the first byte."""
    entity_id = queries.resolve_entity(principal, entity)
    period = period or this_month()
    exports.record_export(session, principal, entity_id, period, format, audit_key(settings))
    body = exports.stream_export(Session(request.app.state.read_engine), entity_id, period, format)
    filename = exports.export_filename(period, format)
    return StreamingResponse(
        body,
        media_type=exports.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/finance/vouchers/{voucher_id}")
def voucher_page(
    request: Request, session: SessionDep, principal: LedgerWebUser, voucher_id: uuid.UUID
) -> Response:
    voucher = queries.voucher_out(session, queries.get_voucher(session, principal, voucher_id))
    names = display_names(session, {voucher.prepared_by, voucher.approved_by})
    context = {"voucher": voucher, "names": names}
    return render(request, "finance/voucher.html", context, principal=principal)


def _periods_page(
    request: Request,
    session: Session,
    principal: Principal,
    entity: uuid.UUID | None,
    error: AppError | None = None,
) -> Response:
    scope = scope_of(session, principal, entity)
    context = {
        "periods": queries.list_periods(session, principal, scope.entity_id),
        "scope": scope,
        "this_month": this_month(),
        "problem": problem_view(request_lang(request), error) if error else None,
    }
    status_code = error.status if error else 200
    return render(
        request, "finance/periods.html", context, principal=principal, status_code=status_code
    )


@router.get("/finance/periods")
def periods_page(
    request: Request, session: SessionDep, principal: LedgerWebUser, entity: uuid.UUID | None = None
) -> Response:
    return _periods_page(request, session, principal, entity)


def _set_status(
    request: Request,
    session: Session,
    actor: LedgerActor,
    entity: uuid.UUID | None,
    period: str,
    *,
    close: bool,
) -> Response:
    try:
        set_period_status(session, actor, entity=entity, period=period, close=close)
    except AppError as exc:
        return _periods_page(request, session, actor.principal, entity, exc)
    query = f"?entity={entity}" if entity else ""
    return RedirectResponse(f"/finance/periods{query}", status_code=303)


@router.post("/finance/periods/{period}/close")
def close_period(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    period: str,
    entity: uuid.UUID | None = None,
) -> Response:
    actor = LedgerActor(principal, audit_key(settings))
    return _set_status(request, session, actor, entity, period, close=True)


@router.post("/finance/periods/{period}/reopen")
def reopen_period(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdminWebUser,
    _csrf: CsrfChecked,
    period: str,
    entity: uuid.UUID | None = None,
) -> Response:
    actor = LedgerActor(principal, audit_key(settings))
    return _set_status(request, session, actor, entity, period, close=False)


@router.get("/finance/input-vat")
def input_vat_page(
    request: Request,
    session: SessionDep,
    principal: LedgerWebUser,
    period: MonthQuery = None,
    entity: uuid.UUID | None = None,
) -> Response:
    scope = scope_of(session, principal, entity)
    period = period or this_month()
    report = input_vat_report(session, scope.entity_id, period)
    context = {"report": report, "period": period, "scope": scope}
    return render(request, "finance/input_vat.html", context, principal=principal)
