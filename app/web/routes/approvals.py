"""Approving claims: the inbox of claims awaiting me, approve or reject, the printable 报销单."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.auth.names import display_names
from app.auth.principal import Principal
from app.claims import queries, service
from app.claims.schemas import ApproveBody, RejectBody
from app.db import SessionDep
from app.kit.pagination import CursorQuery
from app.ledger.queries import voucher_ids_by_claim
from app.problems import AppError
from app.web.bulk_approve import ApproveResult, BulkApproveBody, bulk_approve
from app.web.claim_page import ClaimWriterPost
from app.web.claim_present import claim_view
from app.web.errors import WEB_PAGE_TAG
from app.web.forms import parse_form
from app.web.i18n import request_lang
from app.web.present import problem_view
from app.web.print_present import claim_sheet
from app.web.session import WebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
PAGE_SIZE = 20


def _inbox(
    request: Request,
    session: SessionDep,
    principal: Principal,
    cursor: str | None,
    *,
    outcome: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    nothing_ticked: bool = False,
    errors: dict[str, str] | None = None,
) -> Response:
    lang = request_lang(request)
    claims, next_cursor = queries.list_claims(
        session,
        principal,
        state=None,
        awaiting_me=True,
        cursor=cursor,
        limit=PAGE_SIZE,
        vouchers=voucher_ids_by_claim,
    )
    names = display_names(session, {c.claimant for c in claims})
    rows = [claim_view(lang, c, names) for c in claims]
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
    return render(
        request, "claims/inbox.html", context, principal=principal, status_code=status_code
    )


@router.get("/approvals")
def approval_inbox(
    request: Request, session: SessionDep, principal: WebUser, cursor: CursorQuery = None
) -> Response:
    return _inbox(request, session, principal, cursor)


@router.post("/approvals/approve")
def approve_selected(post: ClaimWriterPost) -> Response:
    """Several claims, one comment and one acknowledgement; each claim stands alone."""
    request, session, principal, form = post.request, post.session, post.principal, post.form
    ids = form.get("claim_ids") or []
    fields = {
        "claim_ids": ids if isinstance(ids, list) else [ids],
        "comment": form.get("comment") or None,
        "acknowledge_warnings": form.get("acknowledge_warnings") == "on",
    }
    if not fields["claim_ids"]:
        return _inbox(request, session, principal, None, values=form, nothing_ticked=True)
    body, errors = parse_form(BulkApproveBody, fields, post.lang)
    if body is None:
        return _inbox(request, session, principal, None, values=form, errors=errors.fields)
    results = bulk_approve(session, post.actor, body)
    return _inbox(
        request, session, principal, None, outcome=_outcome(request, session, principal, results)
    )


def _outcome(
    request: Request, session: SessionDep, principal: Principal, results: list[ApproveResult]
) -> dict[str, Any]:
    """How many were approved, and each refusal in the approver's words with its claim's title."""
    lang = request_lang(request)
    refused = []
    for claim_id, problem in results:
        if problem is None:
            continue
        try:
            title = queries.read_claim(
                session, principal, claim_id, vouchers=voucher_ids_by_claim
            ).title
        except AppError:
            title = str(claim_id)
        refused.append({"id": claim_id, "title": title, "problem": problem_view(lang, problem)})
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
def printable_claim(
    request: Request, session: SessionDep, principal: WebUser, claim_id: uuid.UUID
) -> Response:
    """The 报销单 as paper wants it: amounts in 大写, the approval trail, no navigation."""
    claim = queries.read_claim(session, principal, claim_id, vouchers=voucher_ids_by_claim)
    context = claim_sheet(session, request_lang(request), claim)
    return render(request, "claims/print.html", context, principal=principal)
