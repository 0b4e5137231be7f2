"""Booking and paying many claims at once: each is the single command in its own transaction,
so every rule of the single endpoint holds per claim (segregation of duties, state, closed
periods, blocking findings) and a refusal of one never undoes another."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session

from app.auth.actor import Actor
from app.kit.bulk import BulkResult, run_each
from app.posting.service import book_claim, pay_claim
from app.storage import FileStore


def bulk_book_claims(
    session: Session,
    actor: Actor,
    claim_ids: list[uuid.UUID],
    booking_date: dt.date | None,
    *,
    store: FileStore,
) -> BulkResult:
    return run_each(
        session,
        claim_ids,
        lambda claim_id: book_claim(session, actor, claim_id, booking_date, store=store),
    )


def bulk_pay_claims(
    session: Session,
    actor: Actor,
    claim_ids: list[uuid.UUID],
    paid_on: dt.date,
    reference: str,
    *,
    store: FileStore,
) -> BulkResult:
    return run_each(
        session,
        claim_ids,
        lambda claim_id: pay_claim(session, actor, claim_id, paid_on, reference, store=store),
    )
