"""Finance on claims: lists to book, pay and confirm for deduction (in bulk), and single ones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.responses import Response

from app.auth.names import display_names
from app.invoices import queries as invoice_queries
from app.kit.bulk import BulkResult
from app.kit.dates import business_today
from app.kit.pagination import CursorQuery
from app.ledger.deduction import bulk_confirm_deduction
from app.ledger.schemas import BookRequest, PayRequest
from app.posting import bulk as posting_bulk
from app.posting.service import book_claim, pay_claim
from app.storage.deps import StoreDep
from app.web.bulk_forms import BulkBookForm, BulkDeductionForm, BulkPayForm, ticked
from app.web.claim_lists import listed_claims
from app.web.claim_page import FinanceClaimPost
from app.web.errors import WEB_PAGE_TAG
from app.web.finance_present import finance_row
from app.web.i18n import Lang
from app.web.page_call import FinancePage, FinancePost, FormPost, PageCall
from app.web.present import invoice_row, problem_view

router = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
LIST_SIZE = 100
F = TypeVar("F", bound=BaseModel)


def _lists_page(
    page: PageCall,
    *,
    outcome: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    to_book, _ = listed_claims(page, state="approved", limit=LIST_SIZE)
    to_pay, _ = listed_claims(page, state="booked", limit=LIST_SIZE)
    names = display_names(page.session, {c.claimant for c in to_book + to_pay})
    context = {
        "to_book": [finance_row(page.lang, c, names) for c in to_book],
        "to_pay": [finance_row(page.lang, c, names) for c in to_pay],
        "today": business_today().isoformat(),
        "outcome": outcome,
        "errors": errors or {},
        "values": values or {},
    }
    return page.render("finance/claims.html", context, status_code=status_code)


@router.get("/finance/claims")
def claims_to_post(page: FinancePage) -> Response:
    return _lists_page(page)


@router.post("/finance/claims/bulk-book")
def bulk_book_claims(post: FinancePost, store: StoreDep) -> Response:
    def book_all(body: BulkBookForm) -> BulkResult:
        return posting_bulk.bulk_book_claims(
            post.session, post.actor, body.claim_ids, body.booking_date, store=store
        )

    return _bulk_post(post, "book", BulkBookForm, book_all)


@router.post("/finance/claims/bulk-pay")
def bulk_pay_claims(post: FinancePost, store: StoreDep) -> Response:
    def pay_all(body: BulkPayForm) -> BulkResult:
        return posting_bulk.bulk_pay_claims(
            post.session, post.actor, body.claim_ids, body.paid_on, body.reference, store=store
        )

    return _bulk_post(post, "pay", BulkPayForm, pay_all)


def _bulk_post(
    post: FormPost, kind: str, model: type[F], run: Callable[[F], BulkResult]
) -> Response:
    """The lists again: with the form's errors beside it, or with what the bulk post did."""
    body, errors = post.parse(model, ticked(post.form, "claim_ids"))
    if body is None:
        fields = _prefixed(kind, errors.fields)
        return _lists_page(post, errors=fields, values=post.form, status_code=422)
    return _lists_page(post, outcome=_outcome(post.lang, kind, run(body)))


def _prefixed(form_name: str, fields: dict[str, str]) -> dict[str, str]:
    # Two bulk forms share the page: errors are keyed by form, then field (not list index).
    return {f"{form_name}.{k.split('.')[0]}": v for k, v in fields.items()}


def _outcome(lang: Lang, kind: str, bulk: BulkResult) -> dict[str, Any]:
    """What a bulk post did: how many went through, and each refusal in words."""
    return {
        "kind": kind,
        "done": bulk.counts.done,
        "refused": [
            {"id": r.id, "problem": problem_view(lang, r.problem)}
            for r in bulk.results
            if r.problem is not None
        ],
    }


@router.post("/claims/{claim_id}/book")
def book(post: FinanceClaimPost, store: StoreDep, claim_id: uuid.UUID) -> Response:
    def book_it(body: BookRequest) -> object:
        return book_claim(post.session, post.actor, claim_id, body.booking_date, store=store)

    return post.submit_form(claim_id, BookRequest, book_it, done="booked")


@router.post("/claims/{claim_id}/pay")
def pay(post: FinanceClaimPost, store: StoreDep, claim_id: uuid.UUID) -> Response:
    def pay_it(body: PayRequest) -> object:
        return pay_claim(
            post.session, post.actor, claim_id, body.paid_on, body.reference, store=store
        )

    return post.submit_form(claim_id, PayRequest, pay_it, done="paid")


def _deduction_page(
    page: PageCall,
    cursor: str | None,
    *,
    outcome: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    invoices, next_cursor = invoice_queries.list_awaiting_deduction_confirmation(
        page.session, page.principal, cursor=cursor, limit=LIST_SIZE
    )
    context = {
        "rows": [invoice_row(page.lang, i) for i in invoices],
        "next_cursor": next_cursor,
        "today": business_today().isoformat(),
        "outcome": outcome,
        "errors": errors or {},
    }
    return page.render("finance/deductions.html", context, status_code=status_code)


@router.get("/finance/deduction-confirmations")
def invoices_to_confirm(page: FinancePage, cursor: CursorQuery = None) -> Response:
    return _deduction_page(page, cursor)


@router.post("/finance/deduction-confirmations")
def bulk_confirm_deductions(post: FinancePost) -> Response:
    body, errors = post.parse(BulkDeductionForm, ticked(post.form, "invoice_ids"))
    if body is None:
        fields = {k.split(".")[0]: v for k, v in errors.fields.items()}
        return _deduction_page(post, None, errors=fields, status_code=422)
    bulk = bulk_confirm_deduction(
        post.session, post.principal, body.invoice_ids, body.confirmed_on, post.actor.audit_key
    )
    return _deduction_page(post, None, outcome=_outcome(post.lang, "confirm", bulk))
