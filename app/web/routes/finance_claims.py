"""Finance on claims: the lists of claims to book and to pay, and booking and paying one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.names import display_names
from app.claims import queries
from app.claims.service import Actor
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices.deps import StoreDep
from app.kit.dates import business_today
from app.ledger.booking import book_claim, pay_claim
from app.ledger.schemas import BookRequest, PayRequest
from app.problems import AppError
from app.web.claim_page import claim_page
from app.web.claim_present import claim_view
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormFields, as_problem, parse_form
from app.web.i18n import request_lang
from app.web.session import FinanceWebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
LIST_SIZE = 100


@router.get("/finance/claims")
def claims_to_post(request: Request, session: SessionDep, principal: FinanceWebUser) -> Response:
    lang = request_lang(request)
    to_book, _ = queries.list_claims(
        session, principal, state="approved", awaiting_me=False, cursor=None, limit=LIST_SIZE
    )
    to_pay, _ = queries.list_claims(
        session, principal, state="booked", awaiting_me=False, cursor=None, limit=LIST_SIZE
    )
    names = display_names(session, {c.claimant for c in to_book + to_pay})
    context = {
        "to_book": [claim_view(lang, c, names) for c in to_book],
        "to_pay": [claim_view(lang, c, names) for c in to_pay],
        "today": business_today().isoformat(),
    }
    return render(request, "finance/claims.html", context, principal=principal)


@router.post("/claims/{claim_id}/book")
def book(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    claim_id: uuid.UUID,
    form: FormFields,
) -> Response:
    body, errors = parse_form(BookRequest, form, request_lang(request))
    if body is None:
        return claim_page(request, session, principal, claim_id, error=as_problem(errors))
    actor = Actor(principal, audit_key(settings))
    try:
        book_claim(session, actor, claim_id, body.booking_date, store=store)
    except AppError as exc:
        return claim_page(request, session, principal, claim_id, error=exc, values=form)
    return RedirectResponse(f"/claims/{claim_id}?done=booked", status_code=303)


@router.post("/claims/{claim_id}/pay")
def pay(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceWebUser,
    _csrf: CsrfChecked,
    claim_id: uuid.UUID,
    form: FormFields,
) -> Response:
    body, errors = parse_form(PayRequest, form, request_lang(request))
    if body is None:
        return claim_page(request, session, principal, claim_id, error=as_problem(errors))
    actor = Actor(principal, audit_key(settings))
    try:
        pay_claim(session, actor, claim_id, body.paid_on, body.reference, store=store)
    except AppError as exc:
        return claim_page(request, session, principal, claim_id, error=exc, values=form)
    return RedirectResponse(f"/claims/{claim_id}?done=paid", status_code=303)
