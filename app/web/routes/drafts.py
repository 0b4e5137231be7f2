"""Fixing a draft claim on the web: add documents, edit title and purpose, justify, delete."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import TypeAdapter, ValidationError
from starlette.responses import Response

from app.claims import queries, service
from app.claims.schemas import ClaimPatch, ItemRef, JustificationBody
from app.ledger.queries import voucher_ids_by_claim
from app.problems import AppError, Forbidden
from app.web.claim_page import ClaimWriterPost
from app.web.claim_pick import checked_values, pick_context
from app.web.confirm import confirmed, not_confirmed
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import as_problem
from app.web.page_call import PageCall, see_other
from app.web.routes.claims import ClaimWriterPage, claim_payload

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
_ITEMS = TypeAdapter(list[ItemRef])


def _add_page(
    page: PageCall, claim_id: uuid.UUID, values: dict[str, Any], *, nothing_ticked: bool = False
) -> Response:
    session, principal = page.session, page.principal
    claim = queries.read_claim(session, principal, claim_id, vouchers=voucher_ids_by_claim)
    if claim.claimant != principal.id:  # others may see the claim, never add to it
        raise Forbidden("Only the claimant may add documents to this claim.")
    context = {
        **pick_context(
            session, principal, page.lang, checked_values(values, []), base_total=claim.total
        ),
        "claim": claim,
        "values": values,
        "nothing_ticked": nothing_ticked,
    }
    return page.render("claims/add.html", context, status_code=422 if nothing_ticked else 200)


@router.get("/claims/{claim_id}/add")
def add_items_page(page: ClaimWriterPage, claim_id: uuid.UUID) -> Response:
    return _add_page(page, claim_id, {})


@router.post("/claims/{claim_id}/add")
def add_items(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    try:
        refs = _ITEMS.validate_python(claim_payload(post.form)["items"])
    except ValidationError:
        refs = []
    if not refs:
        return _add_page(post, claim_id, post.form, nothing_ticked=True)
    for ref in refs:
        # One document at a time, as the API adds them: those added before a refusal stay
        # added, and the claim page that shows the refusal lists them.
        try:
            service.add_item(post.session, post.actor, claim_id, ref)
        except AppError as exc:
            return post.refuse(claim_id, exc)
    return see_other(f"/claims/{claim_id}?done=added")


@router.post("/claims/{claim_id}/edit")
def edit_draft(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    """Title and purpose as the form sends them; the page keeps what was typed on a refusal."""
    fields = {name: post.form.get(name, "") for name in ("title", "purpose")}
    patch, errors = post.parse(ClaimPatch, fields)
    if patch is None:
        return post.refuse(claim_id, as_problem(errors), keep_values=True)

    def update() -> object:
        return service.update_draft(post.session, post.actor, claim_id, patch)

    return post.attempt(claim_id, update, done="edited", keep_values=True)


@router.post("/claims/{claim_id}/items/{item_id}/justification")
def justify_item(post: ClaimWriterPost, claim_id: uuid.UUID, item_id: uuid.UUID) -> Response:
    """An empty 说明 clears it, as the API's null does."""
    text = str(post.form.get("justification", "")).strip() or None
    body, errors = post.parse(JustificationBody, {"justification": text})
    if body is None:
        return post.refuse(claim_id, as_problem(errors))

    def justify() -> object:
        return service.set_item_justification(
            post.session, post.actor, claim_id, item_id, body.justification
        )

    return post.attempt(claim_id, justify, done=f"justified#item-{item_id}")


@router.post("/claims/{claim_id}/delete")
def delete_draft(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    """Deletes only when the confirmation box is ticked: a stray tap must not lose a draft."""
    if not confirmed(post.form):
        return post.refuse(claim_id, not_confirmed(post.lang))
    claim = queries.read_claim(
        post.session, post.principal, claim_id, vouchers=voucher_ids_by_claim
    )
    try:
        service.delete_draft(post.session, post.actor, claim_id)
    except AppError as exc:
        return post.refuse(claim_id, exc)
    return see_other(f"/claims?deleted={claim.number}")
