"""Invoice pages: my invoices, the unassigned list, detail with its originals, and 用途确认."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.models import Role
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices import queries
from app.invoices.deduction import confirm_deduction
from app.kit.dates import Day, business_today
from app.kit.filenames import content_disposition
from app.kit.pagination import CursorQuery
from app.kit.text import QueryText
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.i18n import request_lang
from app.web.present import (
    KIND_LABELS,
    STATUS_LABELS,
    VERIFICATION_LABELS,
    invoice_row,
    problem_view,
)
from app.web.session import FinanceWebUser, WebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
StatusFilter = Literal["available", "claimed", "booked", "void"]


def _list_page(
    request: Request,
    session: SessionDep,
    principal: WebUser,
    filters: queries.InvoiceFilters,
    cursor: str | None,
    *,
    heading: str,
) -> Response:
    lang = request_lang(request)
    items, next_cursor = queries.list_invoices(
        session, principal, filters, cursor=cursor, limit=PAGE_SIZE
    )
    context = {
        "heading": heading,
        "rows": [invoice_row(lang, i) for i in items],
        "next_cursor": next_cursor,
        "filters": filters,
        "statuses": STATUS_LABELS,
        "kinds": KIND_LABELS,
    }
    return render(request, "invoices/list.html", context, principal=principal)


@router.get("/invoices")
def my_invoices(
    request: Request,
    session: SessionDep,
    principal: WebUser,
    status: Annotated[StatusFilter | None, Query()] = None,
    travel_date_from: Day | None = None,
    travel_date_to: Day | None = None,
    q: Annotated[QueryText | None, Query(max_length=64)] = None,
    kind: Annotated[Literal["railway", "air"] | None, Query()] = None,
    cursor: CursorQuery = None,
) -> Response:
    # Everyone starts from their own invoices; finance finds others' through the search.
    filters = queries.InvoiceFilters(
        status=status,
        kind=kind,
        travel_date_from=travel_date_from,
        travel_date_to=travel_date_to,
        q=q or None,
        owner=principal.id,
    )
    return _list_page(request, session, principal, filters, cursor, heading="我的发票")


@router.get("/finance/unassigned")
def unassigned_invoices(
    request: Request,
    session: SessionDep,
    principal: FinanceWebUser,
    q: Annotated[QueryText | None, Query(max_length=64)] = None,
    cursor: CursorQuery = None,
) -> Response:
    filters = queries.InvoiceFilters(q=q or None, owner="none")
    return _list_page(request, session, principal, filters, cursor, heading="待认领发票")


def _detail(
    request: Request,
    session: SessionDep,
    principal: WebUser,
    invoice_id: uuid.UUID,
    *,
    error: AppError | None = None,
) -> Response:
    lang = request_lang(request)
    invoice = queries.invoice_out(
        session, principal, queries.get_visible_invoice(session, principal, invoice_id)
    )
    context = {
        "invoice": invoice,
        "row": invoice_row(lang, invoice),
        "verification_label": VERIFICATION_LABELS.get(invoice.verification, ""),
        "renditions": {r.kind: r for r in invoice.renditions},
        "can_confirm": principal.has_role(Role.FINANCE) and invoice.status != "void",
        "today": business_today().isoformat(),
        "error": problem_view(lang, error) if error else None,
    }
    status_code = error.status if error else 200
    return render(
        request, "invoices/detail.html", context, principal=principal, status_code=status_code
    )


@router.get("/invoices/{invoice_id}")
def invoice_detail(
    request: Request, session: SessionDep, principal: WebUser, invoice_id: uuid.UUID
) -> Response:
    return _detail(request, session, principal, invoice_id)


@router.get("/invoices/{invoice_id}/files/{rendition}")
def invoice_file(
    session: SessionDep,
    principal: WebUser,
    store: StoreDep,
    invoice_id: uuid.UUID,
    rendition: Literal["pdf", "ofd", "xml"],
    inline: bool = False,
) -> Response:
    """The exact original bytes; `inline` lets the detail page preview the PDF in a frame."""
    invoice = queries.get_visible_invoice(session, principal, invoice_id)
    original = queries.read_original(session, store, invoice, rendition)
    disposition = "inline" if inline and rendition == "pdf" else "attachment"
    headers = {
        "Content-Disposition": content_disposition(
            disposition, original.filename, f"invoice.{rendition}"
        ),
        "ETag": f'"{original.sha256}"',
        "Cache-Control": "private, no-store",
    }
    return Response(original.data, media_type=original.media_type, headers=headers)


@router.post("/invoices/{invoice_id}/deduction-confirmation")
def confirm_invoice_deduction(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    invoice_id: uuid.UUID,
    confirmed_on: Annotated[Day, Form()],
) -> Response:
    try:
        confirm_deduction(session, principal, invoice_id, confirmed_on, audit_key(settings))
    except AppError as exc:
        return _detail(request, session, principal, invoice_id, error=exc)
    return RedirectResponse(f"/invoices/{invoice_id}?confirmed=1", status_code=303)
