"""Drafting a claim: create it, add and remove its invoices and paper vouchers.

Taking a document is one conditional UPDATE (`available` -> `claimed`, owner and entity
checked in its WHERE), so two claims racing for it cannot both win: on PostgreSQL the loser's
UPDATE waits on the winner's row lock and then matches nothing; on SQLite writers are serial.
The UNIQUE constraints of claim_item stay the last line of defence.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NoReturn, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.auth.principal import Principal
from app.claims.errors import ItemAlreadyClaimed, ItemNotClaimable
from app.claims.models import Claim, ClaimItem
from app.claims.numbering import next_claim_number
from app.claims.schemas import ClaimCreate, ClaimOut, ItemRef
from app.claims.service.common import (
    audit_claim,
    item_of,
    own_draft,
    record_transition,
    refresh_total,
)
from app.claims.views import claim_out
from app.db import utcnow
from app.invoices.air import reimbursed_amount
from app.invoices.models import Invoice, PaperVoucher
from app.problems import Forbidden, ValidationProblem

Document = type[Invoice] | type[PaperVoucher]


def create_claim(session: Session, actor: Actor, data: ClaimCreate) -> ClaimOut:
    if actor.principal.user.is_service:
        raise Forbidden("System tokens do not claim expenses; claimants are people.")
    entity_id = _entity_for(actor.principal, data.entity)
    now = utcnow()
    claim = Claim(
        entity_id=entity_id,
        number=next_claim_number(session, entity_id, now),
        claimant_id=actor.id,
        title=data.title,
        purpose=data.purpose,
        created_at=now,
        updated_at=now,
    )
    with _claiming(session):
        session.add(claim)
        session.flush()
        for index, ref in enumerate(data.items):
            _attach(session, claim, ref, f"items.{index}")
        refresh_total(session, claim)
        record_transition(session, actor, claim, "created", details={"items": len(data.items)})
        session.commit()
    return claim_out(session, claim)


def add_item(session: Session, actor: Actor, claim_id: uuid.UUID, ref: ItemRef) -> ClaimOut:
    with _claiming(session):
        claim = own_draft(session, actor, claim_id, "changed")
        item = _attach(session, claim, ref, "")
        refresh_total(session, claim)
        claim.updated_at = utcnow()
        audit_claim(session, actor, claim, "claim.item-added", _item_details(item))
        session.commit()
    return claim_out(session, claim)


def remove_item(
    session: Session, actor: Actor, claim_id: uuid.UUID, item_id: uuid.UUID
) -> ClaimOut:
    """Deletes the item of a draft and frees its document for another claim."""
    claim = own_draft(session, actor, claim_id, "changed")
    item = item_of(session, claim, item_id)
    model: Document = Invoice if item.invoice_id else PaperVoucher
    document_id = item.invoice_id or item.paper_voucher_id
    details = _item_details(item)
    session.delete(item)
    # A document voided meanwhile stays void; only a claimed one becomes available again.
    session.execute(
        update(model)
        .where(col(model.id) == document_id, col(model.status) == "claimed")
        .values(status="available", updated_at=utcnow())
    )
    refresh_total(session, claim)
    claim.updated_at = utcnow()
    audit_claim(session, actor, claim, "claim.item-removed", details)
    session.commit()
    return claim_out(session, claim)


def _entity_for(principal: Principal, entity: uuid.UUID | None) -> uuid.UUID:
    if entity is not None:
        if entity not in principal.entity_ids:
            raise ValidationProblem("entity", "not a legal entity you work for")
        return entity
    if len(principal.entity_ids) != 1:
        raise ValidationProblem(
            "entity", "required: you work for several legal entities, or for none"
        )
    return next(iter(principal.entity_ids))


def _attach(session: Session, claim: Claim, ref: ItemRef, field: str) -> ClaimItem:
    model: Document = Invoice if ref.invoice_id else PaperVoucher
    name = "invoice_id" if ref.invoice_id else "paper_voucher_id"
    amount = _take(session, claim, model, ref.document_id, f"{field}.{name}".lstrip("."))
    item = ClaimItem(
        claim_id=claim.id,
        invoice_id=ref.invoice_id,
        paper_voucher_id=ref.paper_voucher_id,
        justification=ref.justification,
        amount=amount,
    )
    session.add(item)
    session.flush()
    return item


def _take(
    session: Session, claim: Claim, model: Document, document_id: uuid.UUID, field: str
) -> Decimal:
    """Marks the claimant's available document `claimed`, or says why it cannot be."""
    conditions = [
        col(model.id) == document_id,
        col(model.owner_id) == claim.claimant_id,
        col(model.entity_id) == claim.entity_id,
        col(model.status) == "available",
    ]
    if model is Invoice:
        conditions.append(col(Invoice.is_red_letter).is_(False))
    result = session.execute(
        update(model).where(*conditions).values(status="claimed", updated_at=utcnow())
    )
    taken = cast(CursorResult[Any], result).rowcount
    document = _load(session, model, document_id)
    if taken == 1 and document is not None:
        return reimbursed_amount(document)
    _refuse(session, claim, document, field)


def _load(
    session: Session, model: Document, document_id: uuid.UUID
) -> Invoice | PaperVoucher | None:
    if model is Invoice:
        return session.get(Invoice, document_id, populate_existing=True)
    return session.get(PaperVoucher, document_id, populate_existing=True)


def _refuse(
    session: Session, claim: Claim, document: Invoice | PaperVoucher | None, field: str
) -> NoReturn:
    # Someone else's document answers like a missing one: no existence leak.
    if (
        document is None
        or document.owner_id != claim.claimant_id
        or document.entity_id != claim.entity_id
    ):
        raise ValidationProblem(field, "no document of the claimant in this entity has this id")
    if isinstance(document, Invoice) and document.is_red_letter:
        raise ItemNotClaimable(
            "A red-letter invoice reverses another; it is not reimbursed.", reason="red-letter"
        )
    if document.status == "void":
        raise ItemNotClaimable("This document is void.", reason="void")
    column = ClaimItem.invoice_id if isinstance(document, Invoice) else ClaimItem.paper_voucher_id
    holder = session.exec(select(ClaimItem.claim_id).where(column == document.id)).first()
    raise ItemAlreadyClaimed(
        f"This document is {document.status} in another claim.",
        document_id=str(document.id),
        existing_claim_id=str(holder) if holder else None,
    )


@contextmanager
def _claiming(session: Session) -> Iterator[None]:
    """Turns a lost race on claim_item's UNIQUE constraints into 409 `item-already-claimed`."""
    try:
        yield
    except IntegrityError as exc:
        session.rollback()
        if "claim_item" not in str(exc.orig):
            raise
        raise ItemAlreadyClaimed("This document was just added to another claim.") from exc


def _item_details(item: ClaimItem) -> dict[str, object]:
    return {
        "item_id": str(item.id),
        "invoice_id": str(item.invoice_id) if item.invoice_id else None,
        "paper_voucher_id": str(item.paper_voucher_id) if item.paper_voucher_id else None,
        "amount": str(item.amount),
    }
