"""Claim pages of the claimant: my claims, a new claim from my documents, submit and withdraw."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from app.audit.service import audit_key
from app.auth.principal import Principal
from app.claims import queries, service
from app.claims.schemas import ClaimCreate, ClaimOut
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.ledger.queries import voucher_ids_by_claim
from app.problems import AppError
from app.web.claim_page import CLAIM_WRITERS, ClaimWriterPost, claim_page
from app.web.claim_pick import checked_values, pick_context
from app.web.claim_present import CLAIM_STATES
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.filter_forms import ClaimListFilters
from app.web.form_page import render_form
from app.web.forms import FormErrors, FormFields, parse_form, refused
from app.web.i18n import request_lang
from app.web.query_forms import QueryForm, query_form
from app.web.session import WebUser, require_web_roles
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
ClaimWriter = Annotated[Principal, Depends(require_web_roles(*CLAIM_WRITERS))]


def actor_of(principal: Principal, settings: SettingsDep) -> service.Actor:
    return service.Actor(principal=principal, audit_key=audit_key(settings))


@router.get("/claims")
def claims_list(
    request: Request,
    session: SessionDep,
    principal: WebUser,
    form: Annotated[QueryForm[ClaimListFilters], Depends(query_form(ClaimListFilters))],
    cursor: CursorQuery = None,
) -> Response:
    items: list[ClaimOut] = []
    next_cursor = None
    if form.data is not None:
        items, next_cursor = queries.list_claims(
            session,
            principal,
            state=form.data.state,
            awaiting_me=False,
            cursor=cursor,
            limit=PAGE_SIZE,
            vouchers=voucher_ids_by_claim,
        )
    context = {
        "claims": items,
        "next_cursor": next_cursor,
        "state": form.values.get("state"),
        "states": CLAIM_STATES,
        "errors": form.errors.fields,
    }
    return render(
        request, "claims/list.html", context, principal=principal, status_code=form.status_code
    )


def claim_payload(form: dict[str, Any]) -> dict[str, Any]:
    """The flat form as ClaimCreate: checked `items` (kind:id), each with its justification."""
    checked = form.get("items") or []
    items = []
    for value in checked if isinstance(checked, list) else [checked]:
        kind, _, document_id = str(value).partition(":")
        item: dict[str, Any] = {
            "invoice_id" if kind == "invoice" else "paper_voucher_id": document_id
        }
        if form.get(f"justification:{document_id}"):
            item["justification"] = form[f"justification:{document_id}"]
        items.append(item)
    return {"title": form.get("title", ""), "purpose": form.get("purpose", ""), "items": items}


def _new_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    values: dict[str, Any],
    errors: FormErrors,
) -> Response:
    lang = request_lang(request)
    checked = checked_values(values, request.query_params.getlist("invoice"))
    context = {
        **pick_context(session, principal, lang, checked),
        "values": values,
    }
    return render_form(request, "claims/new.html", principal, context, errors)


@router.get("/claims/new")
def new_claim_page(request: Request, session: SessionDep, principal: ClaimWriter) -> Response:
    return _new_page(request, session, principal, {}, FormErrors())


@router.post("/claims/new")
def create_claim(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ClaimWriter,
    _csrf: CsrfChecked,
    form: FormFields,
) -> Response:
    data, errors = parse_form(ClaimCreate, claim_payload(form), request_lang(request))
    if data is None:
        return _new_page(request, session, principal, form, errors)
    try:
        claim = service.create_claim(session, actor_of(principal, settings), data)
    except AppError as exc:
        return _new_page(request, session, principal, form, refused(exc, request_lang(request)))
    return RedirectResponse(f"/claims/{claim.id}?done=created", status_code=303)


@router.get("/claims/{claim_id}")
def claim_detail(
    request: Request, session: SessionDep, principal: WebUser, claim_id: uuid.UUID
) -> Response:
    return claim_page(request, session, principal, claim_id)


@router.post("/claims/{claim_id}/submit")
def submit_claim(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    def submit() -> object:
        return service.submit_claim(post.session, post.actor, claim_id, None)

    return post.attempt(claim_id, submit, done="submitted")


@router.post("/claims/{claim_id}/withdraw")
def withdraw_claim(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    def withdraw() -> object:
        return service.withdraw_claim(post.session, post.actor, claim_id, None)

    return post.attempt(claim_id, withdraw, done="withdrawn")


@router.post("/claims/{claim_id}/items/{item_id}/remove")
def remove_item(post: ClaimWriterPost, claim_id: uuid.UUID, item_id: uuid.UUID) -> Response:
    def remove() -> object:
        return service.remove_item(post.session, post.actor, claim_id, item_id)

    return post.attempt(claim_id, remove, done="removed")
