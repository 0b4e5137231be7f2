"""Invoice pages: my invoices, the unassigned list, detail with its originals, and 用途确认."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query
from starlette.responses import Response

from app.auth.models import Role
from app.db import SessionDep
from app.invoices import queries
from app.kit.dates import Day, business_today
from app.kit.filenames import content_disposition
from app.kit.pagination import CursorQuery
from app.kit.text import QueryText
from app.ledger.deduction import confirm_deduction
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_refusal
from app.web.page_call import FinancePage, FinancePost, PageCall, WebPage, see_other
from app.web.present import (
    KIND_LABELS,
    STATUS_LABELS,
    VERIFICATION_LABELS,
    invoice_row,
)
from app.web.session import WebUser

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
StatusFilter = Literal["available", "claimed", "booked", "void"]


def _list_page(
    page: PageCall, filters: queries.InvoiceFilters, cursor: str | None, *, heading: str
) -> Response:
    items, next_cursor = queries.list_invoices(
        page.session, page.principal, filters, cursor=cursor, limit=PAGE_SIZE
    )
    context = {
        "heading": heading,
        "rows": [invoice_row(page.lang, i) for i in items],
        "next_cursor": next_cursor,
        "filters": filters,
        "statuses": STATUS_LABELS,
        "kinds": KIND_LABELS,
    }
    return page.render("invoices/list.html", context)


@router.get("/invoices")
def my_invoices(
    page: WebPage,
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
        owner=page.principal.id,
    )
    return _list_page(page, filters, cursor, heading="我的发票")


@router.get("/finance/unassigned")
def unassigned_invoices(
    page: FinancePage,
    q: Annotated[QueryText | None, Query(max_length=64)] = None,
    cursor: CursorQuery = None,
) -> Response:
    filters = queries.InvoiceFilters(q=q or None, owner="none")
    return _list_page(page, filters, cursor, heading="待认领发票")


def _detail(page: PageCall, invoice_id: uuid.UUID, *, error: AppError | None = None) -> Response:
    session, principal = page.session, page.principal
    invoice = queries.invoice_out(
        session, principal, queries.get_visible_invoice(session, principal, invoice_id)
    )
    context = {
        "invoice": invoice,
        "row": invoice_row(page.lang, invoice),
        "verification_label": VERIFICATION_LABELS.get(invoice.verification, ""),
        "renditions": {r.kind: r for r in invoice.renditions},
        "can_confirm": principal.has_role(Role.FINANCE) and invoice.status != "void",
        "today": business_today().isoformat(),
    }
    return render_refusal(page, "invoices/detail.html", context, error)


@router.get("/invoices/{invoice_id}")
def invoice_detail(page: WebPage, invoice_id: uuid.UUID) -> Response:
    return _detail(page, invoice_id)


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
    post: FinancePost, invoice_id: uuid.UUID, confirmed_on: Annotated[Day, Form()]
) -> Response:
    try:
        confirm_deduction(
            post.session, post.principal, invoice_id, confirmed_on, post.actor.audit_key
        )
    except AppError as exc:
        return _detail(post, invoice_id, error=exc)
    return see_other(f"/invoices/{invoice_id}?confirmed=1")
