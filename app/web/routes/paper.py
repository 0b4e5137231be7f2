"""Paper 报销凭证 pages: register one with its scan (transition rule), my list, originals."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, UploadFile
from starlette.responses import Response

from app.db import SessionDep
from app.invoices.owners import uploads_for_others
from app.kit.dates import business_today
from app.kit.pagination import CursorQuery
from app.paper import queries, service
from app.paper.schemas import SEAT_CLASSES, PaperVoucherCreate, ReceiveOriginal
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form, render_refusal
from app.web.forms import FormErrors
from app.web.i18n import Lang, translate
from app.web.page_call import (
    FinancePage,
    FinancePost,
    PageCall,
    UploaderPage,
    UploaderPost,
    WebPage,
    see_other,
)
from app.web.present import problem_view
from app.web.session import WebUser

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
# A phone's picker offers its camera roll and files for these; the service judges the bytes.
SCAN_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
SCAN_SUFFIXES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ScanFile = Annotated[UploadFile | None, File()]


def _scan_problem(lang: Lang, error: AppError) -> dict[str, Any]:
    """A refusal for these pages: a file refused here is a scan, not an invoice upload."""
    view = problem_view(lang, error)
    if view["slug"] == "unsupported-format":
        view["hint"] = translate(lang, "扫描件须为 PDF、JPG 或 PNG 文件。")
    return view


def _list_page(page: PageCall, cursor: str | None, error: AppError | None = None) -> Response:
    items, next_cursor = queries.list_vouchers(
        page.session, page.principal, received=None, cursor=cursor, limit=PAGE_SIZE
    )
    context = {
        "vouchers": items,
        "next_cursor": next_cursor,
        "registered": page.query("registered"),
        "scanned": page.query("scanned"),
        "may_scan": uploads_for_others(page.principal),
        "me": page.principal.id,
        "scan_accept": SCAN_ACCEPT,
    }
    return render_refusal(page, "paper/list.html", context, error, shown_as=_scan_problem)


@router.get("/paper-vouchers")
def my_vouchers(page: WebPage, cursor: CursorQuery = None) -> Response:
    return _list_page(page, cursor)


def _form_page(page: PageCall, values: dict[str, str], errors: FormErrors) -> Response:
    context = {
        "values": values,
        "air": values.get("kind") == "air",
        "seat_classes": SEAT_CLASSES,
        "scan_accept": SCAN_ACCEPT,
        "last_paper_date": service.LAST_PAPER_TRAVEL_DATE.isoformat(),
    }
    return render_form(page, "paper/new.html", context, errors, shown_as=_scan_problem)


@router.get("/paper-vouchers/new")
def new_voucher_page(page: UploaderPage, kind: Literal["railway", "air"] = "railway") -> Response:
    """A paper 报销凭证 (a train), or with `kind=air` a paper 行程单 (a flight)."""
    return _form_page(page, {"kind": kind}, FormErrors())


@router.post("/paper-vouchers/new")
def register_voucher(post: UploaderPost, store: StoreDep, scan: ScanFile = None) -> Response:
    """The scan is optional here as in the API; it can follow from the list."""
    scan_bytes = scan.file.read() if scan is not None else b""

    def register(data: PaperVoucherCreate) -> uuid.UUID:
        if scan_bytes:
            return service.register_with_scan(post.session, post.actor, store, data, scan_bytes).id
        return service.register_voucher(post.session, post.actor, data).id

    return post.submit(
        PaperVoucherCreate,
        register,
        again=lambda errors: _form_page(post, post.form, errors),
        then=lambda voucher_id: see_other(f"/paper-vouchers?registered={voucher_id}"),
    )


@router.post("/paper-vouchers/{voucher_id}/scan")
def upload_scan(
    post: UploaderPost, store: StoreDep, voucher_id: uuid.UUID, scan: ScanFile = None
) -> Response:
    """A scan for a voucher registered without one (or a better one before booking)."""
    scan_bytes = scan.file.read() if scan else b""
    try:
        service.attach_scan(post.session, post.actor, store, voucher_id, scan_bytes)
    except AppError as exc:
        return _list_page(post, None, exc)
    return see_other(f"/paper-vouchers?scanned={voucher_id}")


@router.get("/paper-vouchers/{voucher_id}/scan")
def download_scan(
    session: SessionDep, principal: WebUser, store: StoreDep, voucher_id: uuid.UUID
) -> Response:
    scan = service.read_scan(session, principal, store, voucher_id)
    suffix = SCAN_SUFFIXES.get(scan.content_type, "bin")
    headers = {
        "Content-Disposition": f'attachment; filename="scan-{voucher_id}.{suffix}"',
        "Cache-Control": "private, no-store",
    }
    return Response(scan.data, media_type=scan.content_type, headers=headers)


def _receive_page(
    page: PageCall, cursor: str | None, errors: dict[str, dict[str, str]]
) -> Response:
    items, next_cursor = queries.list_vouchers(
        page.session, page.principal, received=False, cursor=cursor, limit=PAGE_SIZE
    )
    context: dict[str, Any] = {
        "vouchers": items,
        "next_cursor": next_cursor,
        "today": business_today().isoformat(),
        "errors": errors,
    }
    return page.render("paper/receive.html", context, status_code=422 if errors else 200)


@router.get("/finance/paper-originals")
def originals_to_receive(page: FinancePage, cursor: CursorQuery = None) -> Response:
    return _receive_page(page, cursor, {})


@router.post("/paper-vouchers/{voucher_id}/receive")
def receive_original(post: FinancePost, voucher_id: uuid.UUID) -> Response:
    data, errors = post.parse(ReceiveOriginal)
    if data is None:
        return _receive_page(post, None, {str(voucher_id): errors.fields})
    service.receive_original(post.session, post.actor, voucher_id, data)
    return see_other("/finance/paper-originals?received=1")
