"""Paper 报销凭证 pages: register one (with the transition rule), my list, receiving originals."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.dates import business_today
from app.kit.pagination import CursorQuery
from app.paper import queries, service
from app.paper.schemas import SEAT_CLASSES, PaperVoucherCreate, ReceiveOriginal
from app.problems import AppError
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.present import problem_view
from app.web.session import FinanceWebUser, UploaderWebUser, WebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20


@router.get("/paper-vouchers")
def my_vouchers(
    request: Request, session: SessionDep, principal: WebUser, cursor: CursorQuery = None
) -> Response:
    items, next_cursor = queries.list_vouchers(
        session, principal, received=None, cursor=cursor, limit=PAGE_SIZE
    )
    context = {
        "vouchers": items,
        "next_cursor": next_cursor,
        "registered": request.query_params.get("registered"),
    }
    return render(request, "paper/list.html", context, principal=principal)


def _form_page(
    request: Request, principal: UploaderWebUser, values: dict[str, str], errors: FormErrors
) -> Response:
    lang = request_lang(request)
    context = {
        "values": values,
        "errors": errors.fields,
        "problem": problem_view(lang, errors.problem) if errors.problem else None,
        "seat_classes": SEAT_CLASSES,
        "last_paper_date": service.LAST_PAPER_TRAVEL_DATE.isoformat(),
    }
    status_code = errors.problem.status if errors.problem else (422 if errors else 200)
    return render(request, "paper/new.html", context, principal=principal, status_code=status_code)


@router.get("/paper-vouchers/new")
def new_voucher_page(request: Request, principal: UploaderWebUser) -> Response:
    return _form_page(request, principal, {}, FormErrors())


@router.post("/paper-vouchers/new")
def register_voucher(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: UploaderWebUser,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    data, errors = parse_form(PaperVoucherCreate, form, request_lang(request))
    if data is None:
        return _form_page(request, principal, form, errors)
    try:
        voucher = service.register_voucher(
            session, service.Actor(principal, audit_key(settings)), data
        )
    except AppError as exc:
        return _form_page(request, principal, form, refused(exc, request_lang(request)))
    return RedirectResponse(f"/paper-vouchers?registered={voucher.id}", status_code=303)


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
    actor = service.Actor(principal, audit_key(settings))
    service.receive_original(session, actor, voucher_id, data)
    return RedirectResponse("/finance/paper-originals?received=1", status_code=303)
