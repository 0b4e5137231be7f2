"""Approving claims: the inbox of claims awaiting me, approve or reject, the printable 报销单."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from app.auth.names import display_names
from app.claims import queries, service
from app.claims.schemas import ApproveBody, RejectBody
from app.kit.pagination import CursorQuery
from app.ledger.queries import voucher_ids_by_claim
from app.problems import AppError
from app.web.bulk_approve import ApproveResult, BulkApproveBody, bulk_approve
from app.web.claim_lists import listed_claims
from app.web.claim_page import ClaimWriterPost
from app.web.claim_present import claim_view
from app.web.errors import WEB_PAGE_TAG
from app.web.page_call import PageCall, WebPage
from app.web.present import problem_view
from app.web.print_present import claim_sheet

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20


def _inbox(
    page: PageCall,
    cursor: str | None,
    *,
    outcome: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    nothing_ticked: bool = False,
    errors: dict[str, str] | None = None,
) -> Response:
    claims, next_cursor = listed_claims(page, awaiting="me", cursor=cursor, limit=PAGE_SIZE)
    names = display_names(page.session, {c.claimant for c in claims})
    rows = [claim_view(page.lang, c, names) for c in claims]
    ticked = (values or {}).get("claim_ids") or []
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "warned": any(row["warns"] for row in rows),
        "outcome": outcome,
        "values": values or {},
        "ticked": set(ticked if isinstance(ticked, list) else [ticked]),
        "nothing_ticked": nothing_ticked,
        "errors": errors or {},
    }
    status_code = 422 if nothing_ticked or errors else 200
    return page.render("claims/inbox.html", context, status_code=status_code)


@router.get("/approvals")
def approval_inbox(page: WebPage, cursor: CursorQuery = None) -> Response:
    return _inbox(page, cursor)


@router.post("/approvals/approve")
def approve_selected(post: ClaimWriterPost) -> Response:
    """Several claims, one comment and one acknowledgement; each claim stands alone."""
    ids = post.form.get("claim_ids") or []
    fields = {
        "claim_ids": ids if isinstance(ids, list) else [ids],
        "comment": post.form.get("comment") or None,
        "acknowledge_warnings": post.form.get("acknowledge_warnings") == "on",
    }
    if not fields["claim_ids"]:
        return _inbox(post, None, values=post.form, nothing_ticked=True)
    body, errors = post.parse(BulkApproveBody, fields)
    if body is None:
        return _inbox(post, None, values=post.form, errors=errors.fields)
    results = bulk_approve(post.session, post.actor, body)
    return _inbox(post, None, outcome=_outcome(post, results))


def _outcome(page: PageCall, results: list[ApproveResult]) -> dict[str, Any]:
    """How many were approved, and each refusal in the approver's words with its claim's title."""
    refused = []
    for claim_id, problem in results:
        if problem is None:
            continue
        try:
            title = queries.read_claim(
                page.session, page.principal, claim_id, vouchers=voucher_ids_by_claim
            ).title
        except AppError:
            title = str(claim_id)
        refused.append(
            {"id": claim_id, "title": title, "problem": problem_view(page.lang, problem)}
        )
    return {"done": len(results) - len(refused), "refused": refused}


@router.post("/claims/{claim_id}/approve")
def approve_claim(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    # An unticked checkbox is simply absent from the form: not acknowledged.
    fields = {**post.form, "acknowledge_warnings": post.form.get("acknowledge_warnings") == "on"}

    def approve(body: ApproveBody) -> object:
        return service.approve_claim(post.session, post.actor, claim_id, body)

    return post.submit_form(claim_id, ApproveBody, approve, done="approved", data=fields)


@router.post("/claims/{claim_id}/reject")
def reject_claim(post: ClaimWriterPost, claim_id: uuid.UUID) -> Response:
    def reject(body: RejectBody) -> object:
        return service.reject_claim(post.session, post.actor, claim_id, body.reason)

    return post.submit_form(claim_id, RejectBody, reject, done="rejected")


@router.get("/claims/{claim_id}/print")
def printable_claim(page: WebPage, claim_id: uuid.UUID) -> Response:
    """The 报销单 as paper wants it: amounts in 大写, the approval trail, no navigation."""
    claim = queries.read_claim(
        page.session, page.principal, claim_id, vouchers=voucher_ids_by_claim
    )
    return page.render("claims/print.html", claim_sheet(page.session, page.lang, claim))
