"""Approving claims: the inbox of claims awaiting me, approve or reject, the printable 报销单."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.auth.names import display_names
from app.claims import queries, service
from app.claims.schemas import ApproveBody, RejectBody
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.ledger.words import amount_in_words
from app.problems import AppError
from app.web.claim_page import claim_page
from app.web.claim_present import claim_view, people_of
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import FormFields, as_problem, parse_form
from app.web.i18n import request_lang
from app.web.routes.claims import ClaimWriter, actor_of
from app.web.session import WebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20


@router.get("/approvals")
def approval_inbox(
    request: Request, session: SessionDep, principal: WebUser, cursor: CursorQuery = None
) -> Response:
    lang = request_lang(request)
    claims, next_cursor = queries.list_claims(
        session, principal, state=None, awaiting_me=True, cursor=cursor, limit=PAGE_SIZE
    )
    names = display_names(session, {c.claimant for c in claims})
    context = {"rows": [claim_view(lang, c, names) for c in claims], "next_cursor": next_cursor}
    return render(request, "claims/inbox.html", context, principal=principal)


@router.post("/claims/{claim_id}/approve")
def approve_claim(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ClaimWriter,
    _csrf: CsrfChecked,
    claim_id: uuid.UUID,
    form: FormFields,
) -> Response:
    # An unticked checkbox is simply absent from the form: not acknowledged.
    fields = {**form, "acknowledge_warnings": form.get("acknowledge_warnings") == "on"}
    body, errors = parse_form(ApproveBody, fields, request_lang(request))
    if body is None:
        return claim_page(request, session, principal, claim_id, error=as_problem(errors))
    try:
        service.approve_claim(session, actor_of(principal, settings), claim_id, body)
    except AppError as exc:
        return claim_page(request, session, principal, claim_id, error=exc, values=form)
    return RedirectResponse(f"/claims/{claim_id}?done=approved", status_code=303)


@router.post("/claims/{claim_id}/reject")
def reject_claim(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ClaimWriter,
    _csrf: CsrfChecked,
    claim_id: uuid.UUID,
    form: FormFields,
) -> Response:
    body, errors = parse_form(RejectBody, form, request_lang(request))
    if body is None:
        return claim_page(request, session, principal, claim_id, error=as_problem(errors))
    try:
        service.reject_claim(session, actor_of(principal, settings), claim_id, body.reason)
    except AppError as exc:
        return claim_page(request, session, principal, claim_id, error=exc, values=form)
    return RedirectResponse(f"/claims/{claim_id}?done=rejected", status_code=303)


@router.get("/claims/{claim_id}/print")
def printable_claim(
    request: Request, session: SessionDep, principal: WebUser, claim_id: uuid.UUID
) -> Response:
    """The 报销单 as paper wants it: amounts in 大写, the approval trail, no navigation."""
    claim = queries.read_claim(session, principal, claim_id)
    context = {
        **claim_view(request_lang(request), claim, display_names(session, people_of(claim))),
        "total_in_words": amount_in_words(claim.total),
    }
    return render(request, "claims/print.html", context, principal=principal)
