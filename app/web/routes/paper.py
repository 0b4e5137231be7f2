"""Paper 报销凭证 pages: register one with its scan (transition rule), my list, originals."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.actor import Actor
from app.auth.principal import Principal
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices.owners import uploads_for_others
from app.kit.dates import business_today
from app.kit.pagination import CursorQuery
from app.paper import queries, service
from app.paper.schemas import SEAT_CLASSES, PaperVoucherCreate, ReceiveOriginal
from app.problems import AppError
from app.storage.deps import StoreDep
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import Lang, request_lang, translate
from app.web.present import problem_view
from app.web.session import FinanceWebUser, UploaderWebUser, WebUser
from app.web.templating import render

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


def _list_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    cursor: str | None,
    error: AppError | None = None,
) -> Response:
    items, next_cursor = queries.list_vouchers(
        session, principal, received=None, cursor=cursor, limit=PAGE_SIZE
    )
    context = {
        "vouchers": items,
        "next_cursor": next_cursor,
        "registered": request.query_params.get("registered"),
        "scanned": request.query_params.get("scanned"),
        "may_scan": uploads_for_others(principal),
        "me": principal.id,
        "scan_accept": SCAN_ACCEPT,
        "problem": _scan_problem(request_lang(request), error) if error else None,
    }
    status_code = error.status if error else 200
    return render(request, "paper/list.html", context, principal=principal, status_code=status_code)


@router.get("/paper-vouchers")
def my_vouchers(
    request: Request, session: SessionDep, principal: WebUser, cursor: CursorQuery = None
) -> Response:
    return _list_page(request, session, principal, cursor)


def _form_page(
    request: Request, principal: UploaderWebUser, values: dict[str, str], errors: FormErrors
) -> Response:
    context = {
        "values": values,
        "air": values.get("kind") == "air",
        "seat_classes": SEAT_CLASSES,
        "scan_accept": SCAN_ACCEPT,
        "last_paper_date": service.LAST_PAPER_TRAVEL_DATE.isoformat(),
    }
    return render_form(
        request, "paper/new.html", principal, context, errors, shown_as=_scan_problem
    )


@router.get("/paper-vouchers/new")
def new_voucher_page(
    request: Request, principal: UploaderWebUser, kind: Literal["railway", "air"] = "railway"
) -> Response:
    """A paper 报销凭证 (a train), or with `kind=air` a paper 行程单 (a flight)."""
    return _form_page(request, principal, {"kind": kind}, FormErrors())


@router.post("/paper-vouchers/new")
def register_voucher(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: UploaderWebUser,
    store: StoreDep,
    _csrf: CsrfChecked,
    form: FormFields,
    scan: ScanFile = None,
) -> Response:
    """The scan is optional here as in the API; it can follow from the list."""
    data, errors = parse_form(PaperVoucherCreate, form, request_lang(request))
    if data is None:
        return _form_page(request, principal, form, errors)
    actor = Actor(principal, audit_key(settings))
    scan_bytes = scan.file.read() if scan is not None else b""
    try:
        if scan_bytes:
            voucher = service.register_with_scan(session, actor, store, data, scan_bytes)
        else:
            voucher = service.register_voucher(session, actor, data)
    except AppError as exc:
        return _form_page(request, principal, form, refused(exc, request_lang(request)))
    return RedirectResponse(f"/paper-vouchers?registered={voucher.id}", status_code=303)


@router.post("/paper-vouchers/{voucher_id}/scan")
def upload_scan(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: UploaderWebUser,
    store: StoreDep,
    _csrf: CsrfChecked,
    voucher_id: uuid.UUID,
    scan: ScanFile = None,
) -> Response:
    """A scan for a voucher registered without one (or a better one before booking)."""
    actor = Actor(principal, audit_key(settings))
    try:
        service.attach_scan(session, actor, store, voucher_id, scan.file.read() if scan else b"")
    except AppError as exc:
        return _list_page(request, session, principal, None, exc)
    return RedirectResponse(f"/paper-vouchers?scanned={voucher_id}", status_code=303)


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
    request: Request,
    session: SessionDep,
    principal: FinanceWebUser,
    cursor: str | None,
    errors: dict[str, dict[str, str]],
) -> Response:
    items, next_cursor = queries.list_vouchers(
        session, principal, received=False, cursor=cursor, limit=PAGE_SIZE
    )
    context: dict[str, Any] = {
        "vouchers": items,
        "next_cursor": next_cursor,
        "today": business_today().isoformat(),
        "errors": errors,
    }
    status_code = 422 if errors else 200
    return render(
        request, "paper/receive.html", context, principal=principal, status_code=status_code
    )


@router.get("/finance/paper-originals")
def originals_to_receive(
    request: Request, session: SessionDep, principal: FinanceWebUser, cursor: CursorQuery = None
) -> Response:
    return _receive_page(request, session, principal, cursor, {})


@router.post("/paper-vouchers/{voucher_id}/receive")
def receive_original(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    voucher_id: uuid.UUID,
    form: FormFields,
) -> Response:
    data, errors = parse_form(ReceiveOriginal, form, request_lang(request))
    if data is None:
        return _receive_page(request, session, principal, None, {str(voucher_id): errors.fields})
    actor = Actor(principal, audit_key(settings))
    service.receive_original(session, actor, voucher_id, data)
    return RedirectResponse("/finance/paper-originals?received=1", status_code=303)
