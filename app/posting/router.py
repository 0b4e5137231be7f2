"""HTTP endpoints that post: book (记账) and pay a claim (returning the claim), alone or in bulk,
and reverse a voucher; all idempotent."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from app.audit.service import audit_key
from app.auth.deps import FinanceUser
from app.claims.schemas import ClaimOut
from app.claims.service.common import Actor
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices.deps import StoreDep
from app.kit.bulk import BulkResult
from app.kit.idempotency import fingerprint, run_idempotent
from app.ledger.closing import LedgerActor
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
from app.posting.service import book_claim, pay_claim, posted_claim_out, reverse_voucher

router = APIRouter()  # tags per route: claims, and the ledger's for reversals
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
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
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceUser,
    claim_id: uuid.UUID,
    body: BookRequest | None = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    booking = body or BookRequest()
    actor = Actor(principal, audit_key(settings))

    def action() -> tuple[int, object]:
        posted = book_claim(session, actor, claim_id, booking.booking_date, store=store)
        return 200, posted_claim_out(session, posted).model_dump(mode="json")

    return run_idempotent(
        session,
        user_id=principal.id,
        key=idempotency_key,
        action=action,
        request_fingerprint=fingerprint("POST", request.url.path, booking.model_dump(mode="json")),
    )


@router.post(
    "/claims/{claim_id}/pay",
    response_model=ClaimOut,
    responses=POSTING_RESPONSES,
    tags=["claims"],
)
def pay(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceUser,
    claim_id: uuid.UUID,
    body: PayRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    actor = Actor(principal, audit_key(settings))

    def action() -> tuple[int, object]:
        posted = pay_claim(session, actor, claim_id, body.paid_on, body.reference, store=store)
        return 200, posted_claim_out(session, posted).model_dump(mode="json")

    return run_idempotent(
        session,
        user_id=principal.id,
        key=idempotency_key,
        action=action,
        request_fingerprint=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
    )


@router.post("/claims/bulk-book", response_model=BulkResult, tags=["claims"])
def bulk_book(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceUser,
    body: BulkBookRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Each claim is booked (or refused) as `POST /claims/{id}/book` would; a repeat with the
    same `Idempotency-Key` answers the first response."""
    actor = Actor(principal, audit_key(settings))

    def action() -> tuple[int, object]:
        result = bulk_book_claims(session, actor, body.claim_ids, body.booking_date, store=store)
        return 200, result.model_dump(mode="json", exclude_none=True)

    return run_idempotent(
        session,
        user_id=principal.id,
        key=idempotency_key,
        action=action,
        request_fingerprint=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
    )


@router.post("/claims/bulk-pay", response_model=BulkResult, tags=["claims"])
def bulk_pay(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceUser,
    body: BulkPayRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Each claim is paid (or refused) as `POST /claims/{id}/pay` would; idempotent likewise."""
    actor = Actor(principal, audit_key(settings))

    def action() -> tuple[int, object]:
        result = bulk_pay_claims(
            session, actor, body.claim_ids, body.paid_on, body.reference, store=store
        )
        return 200, result.model_dump(mode="json", exclude_none=True)

    return run_idempotent(
        session,
        user_id=principal.id,
        key=idempotency_key,
        action=action,
        request_fingerprint=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
    )


@router.post(
    "/vouchers/{voucher_id}/reverse",
    status_code=201,
    response_model=VoucherOut,
    tags=["ledger"],
)
def reverse(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    principal: FinanceUser,
    voucher_id: uuid.UUID,
    body: ReverseRequest,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    actor = LedgerActor(principal, audit_key(settings))

    def action() -> tuple[int, object]:
        posted = reverse_voucher(
            session,
            actor,
            voucher_id,
            reversal_date=body.reversal_date,
            reason=body.reason,
            store=store,
        )
        reversal = posted_voucher_out(posted.voucher, posted.lines)
        return 201, reversal.model_dump(mode="json")

    return run_idempotent(
        session,
        user_id=principal.id,
        key=idempotency_key,
        action=action,
        request_fingerprint=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
    )
