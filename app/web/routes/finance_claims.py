"""Finance on claims: lists to book, pay and confirm for deduction (in bulk), and single ones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlmodel import Session
from starlette.responses import Response

from app.auth.names import display_names
from app.auth.principal import Principal
from app.claims import queries
from app.db import SessionDep
from app.invoices import queries as invoice_queries
from app.kit.dates import business_today
from app.kit.pagination import CursorQuery
from app.ledger.queries import voucher_ids_by_claim
from app.ledger.schemas import BookRequest, PayRequest
from app.posting.service import book_claim, pay_claim
from app.storage.deps import StoreDep
from app.web.bulk_forms import BulkBookForm, BulkDeductionForm, BulkPayForm, ticked
from app.web.bulk_runs import BulkOutcome, bulk_book, bulk_confirm_deduction, bulk_pay
from app.web.claim_page import ClaimPost, FinancePost
from app.web.errors import WEB_PAGE_TAG
from app.web.finance_present import finance_row
from app.web.forms import parse_form
from app.web.i18n import Lang, request_lang
from app.web.present import invoice_row, problem_view
from app.web.session import FinanceWebUser
from app.web.templating import render

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
LIST_SIZE = 100
F = TypeVar("F", bound=BaseModel)


def _lists_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    outcome: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    lang = request_lang(request)
    to_book, _ = queries.list_claims(
        session,
        principal,
        state="approved",
        awaiting_me=False,
        cursor=None,
        limit=LIST_SIZE,
        vouchers=voucher_ids_by_claim,
    )
    to_pay, _ = queries.list_claims(
        session,
        principal,
        state="booked",
        awaiting_me=False,
        cursor=None,
        limit=LIST_SIZE,
        vouchers=voucher_ids_by_claim,
    )
    names = display_names(session, {c.claimant for c in to_book + to_pay})
    context = {
        "to_book": [finance_row(lang, c, names) for c in to_book],
        "to_pay": [finance_row(lang, c, names) for c in to_pay],
        "today": business_today().isoformat(),
        "outcome": outcome,
        "errors": errors or {},
        "values": values or {},
    }
    return render(
        request, "finance/claims.html", context, principal=principal, status_code=status_code
    )


@router.get("/finance/claims")
def claims_to_post(request: Request, session: SessionDep, principal: FinanceWebUser) -> Response:
    return _lists_page(request, session, principal)


@router.post("/finance/claims/bulk-book")
def bulk_book_claims(post: FinancePost, store: StoreDep) -> Response:
    def book_all(body: BulkBookForm) -> list[BulkOutcome]:
        return bulk_book(post.session, post.actor, body.claim_ids, body.booking_date, store=store)

    return _bulk_post(post, "book", BulkBookForm, book_all)


@router.post("/finance/claims/bulk-pay")
def bulk_pay_claims(post: FinancePost, store: StoreDep) -> Response:
    def pay_all(body: BulkPayForm) -> list[BulkOutcome]:
        return bulk_pay(
            post.session, post.actor, body.claim_ids, body.paid_on, body.reference, store=store
        )

    return _bulk_post(post, "pay", BulkPayForm, pay_all)


def _bulk_post(
    post: ClaimPost, kind: str, model: type[F], run: Callable[[F], list[BulkOutcome]]
) -> Response:
    """The lists again: with the form's errors beside it, or with what the bulk post did."""
    body, errors = parse_form(model, ticked(post.form, "claim_ids"), post.lang)
    if body is None:
        return _lists_page(
            post.request,
            post.session,
            post.principal,
            errors=_prefixed(kind, errors.fields),
            values=post.form,
            status_code=422,
        )
    outcome = _outcome(post.lang, kind, run(body))
    return _lists_page(post.request, post.session, post.principal, outcome=outcome)


def _prefixed(form_name: str, fields: dict[str, str]) -> dict[str, str]:
    # Two bulk forms share the page: errors are keyed by form, then field (not list index).
    return {f"{form_name}.{k.split('.')[0]}": v for k, v in fields.items()}


def _outcome(lang: Lang, kind: str, outcomes: list[BulkOutcome]) -> dict[str, Any]:
    """What a bulk post did: how many went through, and each refusal in words."""
    return {
        "kind": kind,
        "done": sum(1 for o in outcomes if o.problem is None),
        "refused": [
            {"id": o.id, "problem": problem_view(lang, o.problem)}
            for o in outcomes
            if o.problem is not None
        ],
    }


@router.post("/claims/{claim_id}/book")
def book(post: FinancePost, store: StoreDep, claim_id: uuid.UUID) -> Response:
    def book_it(body: BookRequest) -> object:
        return book_claim(post.session, post.actor, claim_id, body.booking_date, store=store)

    return post.submit_form(claim_id, BookRequest, book_it, done="booked")


@router.post("/claims/{claim_id}/pay")
def pay(post: FinancePost, store: StoreDep, claim_id: uuid.UUID) -> Response:
    def pay_it(body: PayRequest) -> object:
        return pay_claim(
            post.session, post.actor, claim_id, body.paid_on, body.reference, store=store
        )

    return post.submit_form(claim_id, PayRequest, pay_it, done="paid")


def _deduction_page(
    request: Request,
    session: Session,
    principal: Principal,
    cursor: str | None,
    *,
    outcome: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    lang = request_lang(request)
    invoices, next_cursor = invoice_queries.list_awaiting_deduction_confirmation(
        session, principal, cursor=cursor, limit=LIST_SIZE
    )
    context = {
        "rows": [invoice_row(lang, i) for i in invoices],
        "next_cursor": next_cursor,
        "today": business_today().isoformat(),
        "outcome": outcome,
        "errors": errors or {},
    }
    return render(
        request, "finance/deductions.html", context, principal=principal, status_code=status_code
    )


@router.get("/finance/deduction-confirmations")
def invoices_to_confirm(
    request: Request, session: SessionDep, principal: FinanceWebUser, cursor: CursorQuery = None
) -> Response:
    return _deduction_page(request, session, principal, cursor)


@router.post("/finance/deduction-confirmations")
def bulk_confirm_deductions(post: FinancePost) -> Response:
    request, session, principal = post.request, post.session, post.principal
    body, errors = parse_form(BulkDeductionForm, ticked(post.form, "invoice_ids"), post.lang)
    if body is None:
        fields = {k.split(".")[0]: v for k, v in errors.fields.items()}
        return _deduction_page(request, session, principal, None, errors=fields, status_code=422)
    outcomes = bulk_confirm_deduction(session, post.actor, body.invoice_ids, body.confirmed_on)
    return _deduction_page(
        request, session, principal, None, outcome=_outcome(post.lang, "confirm", outcomes)
    )
