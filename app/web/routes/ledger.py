"""Ledger pages: vouchers by period with their lines, exports and the VAT report (periods: see
`periods`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.responses import Response

from app.audit.deps import AuditKeyDep
from app.auth.names import display_names
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.kit.streaming import streamed_download
from app.ledger import exports, queries
from app.ledger.schemas import VoucherOut
from app.ledger.vat_report import input_vat_report
from app.web.errors import WEB_PAGE_TAG
from app.web.filter_forms import LedgerFilters
from app.web.page_call import LedgerPage
from app.web.query_forms import QueryForm, query_form
from app.web.scope import MonthQuery, scope_of, this_month
from app.web.session import LedgerWebUser
from app.web.voucher_page import voucher_page as render_voucher_page

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
LedgerForm = Annotated[QueryForm[LedgerFilters], Depends(query_form(LedgerFilters))]


@router.get("/finance/vouchers")
def vouchers_page(page: LedgerPage, form: LedgerForm, cursor: CursorQuery = None) -> Response:
    session, principal = page.session, page.principal
    scope = scope_of(session, principal, form.data.entity if form.data else None)
    period = (form.data.period if form.data else None) or this_month()
    vouchers: list[VoucherOut] = []
    next_cursor = None
    if form.data is not None:
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
        "period": form.values.get("period", period) if form.errors else period,
        "errors": form.errors.fields,
        "scope": scope,
        "names": display_names(session, {v.prepared_by for v in vouchers}),
    }
    return page.render("finance/vouchers.html", context, status_code=form.status_code)


@router.get("/finance/vouchers/export", response_class=StreamingResponse)
def export_vouchers(
    request: Request,
    session: SessionDep,
    key: AuditKeyDep,
    principal: LedgerWebUser,
    period: MonthQuery = None,
    entity: uuid.UUID | None = None,
    format: exports.ExportFormat = "csv",
) -> StreamingResponse:
    """The download streams from the export service, audited before the first byte."""
    entity_id = queries.resolve_entity(principal, entity)
    period = period or this_month()
    export = exports.record_export(session, principal, entity_id, period, format, key)
    return streamed_download(
        request, export.stream, filename=export.filename, media_type=export.media_type
    )


@router.get("/finance/vouchers/{voucher_id}")
def voucher_page(page: LedgerPage, voucher_id: uuid.UUID) -> Response:
    return render_voucher_page(page, voucher_id)


@router.get("/finance/input-vat")
def input_vat_page(page: LedgerPage, form: LedgerForm) -> Response:
    scope = scope_of(page.session, page.principal, form.data.entity if form.data else None)
    period = (form.data.period if form.data else None) or this_month()
    report = input_vat_report(page.session, scope.entity_id, period) if form.data else None
    context = {
        "report": report,
        "period": form.values.get("period", period) if form.errors else period,
        "errors": form.errors.fields,
        "scope": scope,
    }
    return page.render("finance/input_vat.html", context, status_code=form.status_code)
