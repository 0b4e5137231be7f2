"""HTTP endpoints that post: book (记账) and pay a claim (returning the claim), alone or in bulk,
and reverse a voucher; all idempotent."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.claims.schemas import ClaimOut
from app.kit.bulk import BulkResult
from app.ledger.queries import posted_voucher_out
from app.ledger.schemas import (
    BookRequest,
    BulkBookRequest,
    BulkPayRequest,
    PayRequest,
    ReverseRequest,
    VoucherOut,
)
from app.posting.bulk import bulk_book_claims, bulk_pay_claims
from app.posting.deps import Posting
from app.posting.service import book_claim, pay_claim, posted_claim_out, reverse_voucher

router = APIRouter()  # tags per route: claims, and the ledger's for reversals
POSTING_RESPONSES: dict[int | str, dict[str, str]] = {
    403: {"description": "segregation-of-duties"},
    409: {"description": "invalid-state, period-closed, paper-original-missing, blocking-findings"},
}


@router.post(
    "/claims/{claim_id}/book",
    response_model=ClaimOut,
    responses=POSTING_RESPONSES,
    tags=["claims"],
)
def book(
    posting: Posting, claim_id: uuid.UUID, body: BookRequest | None = None
) -> ClaimOut | JSONResponse:
    booking = body or BookRequest()
    session, actor = posting.session, posting.actor

    def action() -> ClaimOut:
        booked = book_claim(session, actor, claim_id, booking.booking_date, store=posting.store)
        return posted_claim_out(session, booked)

    return posting.run(booking, action)


@router.post(
    "/claims/{claim_id}/pay",
    response_model=ClaimOut,
    responses=POSTING_RESPONSES,
    tags=["claims"],
)
def pay(posting: Posting, claim_id: uuid.UUID, body: PayRequest) -> ClaimOut | JSONResponse:
    session, actor = posting.session, posting.actor

    def action() -> ClaimOut:
        paid = pay_claim(
            session, actor, claim_id, body.paid_on, body.reference, store=posting.store
        )
        return posted_claim_out(session, paid)

    return posting.run(body, action)


@router.post(
    "/claims/bulk-book",
    response_model=BulkResult,
    response_model_exclude_none=True,
    tags=["claims"],
)
def bulk_book(posting: Posting, body: BulkBookRequest) -> BulkResult | JSONResponse:
    """Each claim is booked (or refused) as `POST /claims/{id}/book` would; a repeat with the
    same `Idempotency-Key` answers the first response."""
    return posting.run(
        body,
        lambda: bulk_book_claims(
            posting.session, posting.actor, body.claim_ids, body.booking_date, store=posting.store
        ),
    )


@router.post(
    "/claims/bulk-pay",
    response_model=BulkResult,
    response_model_exclude_none=True,
    tags=["claims"],
)
def bulk_pay(posting: Posting, body: BulkPayRequest) -> BulkResult | JSONResponse:
    """Each claim is paid (or refused) as `POST /claims/{id}/pay` would; idempotent likewise."""
    return posting.run(
        body,
        lambda: bulk_pay_claims(
            posting.session,
            posting.actor,
            body.claim_ids,
            body.paid_on,
            body.reference,
            store=posting.store,
        ),
    )


@router.post(
    "/vouchers/{voucher_id}/reverse",
    status_code=201,
    response_model=VoucherOut,
    tags=["ledger"],
)
def reverse(
    posting: Posting, voucher_id: uuid.UUID, body: ReverseRequest
) -> VoucherOut | JSONResponse:
    def action() -> VoucherOut:
        posted = reverse_voucher(
            posting.session,
            posting.actor,
            voucher_id,
            reversal_date=body.reversal_date,
            reason=body.reason,
            store=posting.store,
        )
        return posted_voucher_out(posted.voucher, posted.lines)

    return posting.run(body, action)
