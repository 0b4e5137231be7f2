"""Bulk book, pay and 用途确认 from the finance lists: each item is the single command on its own.

Until the API's bulk services land these run the single-item services one by one with the same
rule: every item stands alone, a refusal rolls back that item only and is reported beside it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from app.claims.service import Actor
from app.invoices.deduction import confirm_deduction
from app.posting.service import book_claim, pay_claim
from app.problems import AppError
from app.storage import FileStore


@dataclass(frozen=True)
class BulkOutcome:
    id: uuid.UUID
    problem: AppError | None  # None: done


def _run_each(
    session: Session, ids: list[uuid.UUID], command: Callable[[uuid.UUID], object]
) -> list[BulkOutcome]:
    outcomes = []
    for item_id in dict.fromkeys(ids):
        try:
            command(item_id)
        except AppError as exc:
            session.rollback()
            outcomes.append(BulkOutcome(item_id, exc))
            continue
        outcomes.append(BulkOutcome(item_id, None))
    return outcomes


def bulk_book(
    session: Session,
    actor: Actor,
    claim_ids: list[uuid.UUID],
    booking_date: dt.date | None,
    *,
    store: FileStore,
) -> list[BulkOutcome]:
    return _run_each(
        session, claim_ids, lambda i: book_claim(session, actor, i, booking_date, store=store)
    )


def bulk_pay(
    session: Session,
    actor: Actor,
    claim_ids: list[uuid.UUID],
    paid_on: dt.date,
    reference: str,
    *,
    store: FileStore,
) -> list[BulkOutcome]:
    return _run_each(
        session,
        claim_ids,
        lambda i: pay_claim(session, actor, i, paid_on, reference, store=store),
    )


def bulk_confirm_deduction(
    session: Session, actor: Actor, invoice_ids: list[uuid.UUID], confirmed_on: dt.date
) -> list[BulkOutcome]:
    return _run_each(
        session,
        invoice_ids,
        lambda i: confirm_deduction(session, actor.principal, i, confirmed_on, actor.audit_key),
    )
