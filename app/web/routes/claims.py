"""Claim pages of the claimant: my claims, a new claim from my documents, submit and withdraw."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from app.claims import service
from app.claims.schemas import ClaimCreate, ClaimOut
from app.kit.pagination import CursorQuery
from app.web.claim_lists import listed_claims
from app.web.claim_page import CLAIM_WRITERS, ClaimWriterPost, claim_page
from app.web.claim_pick import checked_values, pick_context
from app.web.claim_present import CLAIM_STATES
from app.web.errors import WEB_PAGE_TAG
from app.web.filter_forms import ClaimListFilters
from app.web.form_page import render_form
from app.web.forms import FormErrors
from app.web.page_call import PageCall, WebPage, page_call, see_other
from app.web.query_forms import QueryForm, query_form

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20
ClaimWriterPage = Annotated[PageCall, Depends(page_call(*CLAIM_WRITERS))]


@router.get("/claims")
def claims_list(
    page: WebPage,
    form: Annotated[QueryForm[ClaimListFilters], Depends(query_form(ClaimListFilters))],
    cursor: CursorQuery = None,
) -> Response:
    items: list[ClaimOut] = []
    next_cursor = None
    if form.data is not None:
        items, next_cursor = listed_claims(
            page, state=form.data.state, cursor=cursor, limit=PAGE_SIZE
        )
    context = {
        "claims": items,
        "next_cursor": next_cursor,
        "state": form.values.get("state"),
        "states": CLAIM_STATES,
        "errors": form.errors.fields,
    }
    return page.render("claims/list.html", context, status_code=form.status_code)


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


def _new_page(page: PageCall, values: dict[str, Any], errors: FormErrors) -> Response:
    checked = checked_values(values, page.request.query_params.getlist("invoice"))
    context = {
        **pick_context(page.session, page.principal, page.lang, checked),
        "values": values,
    }
    return render_form(page, "claims/new.html", context, errors)


@router.get("/claims/new")
def new_claim_page(page: ClaimWriterPage) -> Response:
    return _new_page(page, {}, FormErrors())


@router.post("/claims/new")
def create_claim(post: ClaimWriterPost) -> Response:
    def create(data: ClaimCreate) -> ClaimOut:
        return service.create_claim(post.session, post.actor, data)

    return post.submit(
        ClaimCreate,
        create,
        again=lambda errors: _new_page(post, post.form, errors),
        then=lambda claim: see_other(f"/claims/{claim.id}?done=created"),
        data=claim_payload(post.form),
    )


@router.get("/claims/{claim_id}")
def claim_detail(page: WebPage, claim_id: uuid.UUID) -> Response:
    return claim_page(page, claim_id)


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
