"""Booking an approved claim into one balanced voucher, and paying a booked one."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.archive.records import archive_voucher
from app.auth.models import User
from app.claims.access import get_visible_claim, require_state
from app.claims.errors import BlockingFindings, InvalidState
from app.claims.facts import findings_of, load_items, policy_of
from app.claims.models import Claim, ClaimApproval
from app.claims.policy import booking_blockers
from app.claims.service.common import (
    Actor,
    current_approver_ids,
    notify_claim,
    publish,
    record_transition,
)
from app.entities.models import LegalEntity
from app.kit.dates import business_today
from app.ledger.errors import PaperOriginalMissing, SegregationOfDuties
from app.ledger.lines import BookedItem, booking_lines, payment_lines
from app.ledger.models import BookedDocument, ClaimPosting, JournalVoucher
from app.ledger.posting import VoucherDraft, post_voucher
from app.storage import FileStore


def book_claim(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    booking_date: dt.date | None,
    *,
    store: FileStore,
) -> JournalVoucher:
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_state(claim, "booked", "approved")
    if policy_of(session, claim).segregation_of_duties and actor.id in current_approver_ids(
        session, claim
    ):
        raise SegregationOfDuties("You approved this claim; someone else in finance books it.")
    _refuse_blockers(session, claim)
    loaded = load_items(session, [claim.id]).get(claim.id, [])
    items = [BookedItem(entry.invoice, entry.paper) for entry in loaded]
    entity = session.get(LegalEntity, claim.entity_id)
    claimant = session.get(User, claim.claimant_id)
    assert entity is not None  # foreign keys guarantee both
    assert claimant is not None
    lines, warnings = booking_lines(session, entity, claimant, items)
    try:
        voucher = post_voucher(
            session,
            VoucherDraft(
                entity_id=claim.entity_id,
                date=booking_date or business_today(),
                kind="booking",
                lines=tuple(lines),
                prepared_by_id=actor.id,
                approved_by_id=_last_approver(session, claim),
                claim_id=claim.id,
                attachments_count=len(items),
            ),
        )
        _finish_documents(session, voucher, items)
        session.add(
            ClaimPosting(
                claim_id=claim.id, kind="booking", voucher_id=voucher.id, actor_id=actor.id
            )
        )
        claim.state = "booked"
        _archive(session, store, actor, voucher)
        record_transition(
            session,
            actor,
            claim,
            "booked",
            # In the claim's history too: finance reads it there, the audit log is auditors'.
            comment="; ".join(warnings)[:2000] or None,
            details={"voucher": voucher.number_text, "warnings": warnings},
        )
        publish(
            session,
            claim,
            "claim.booked",
            voucher_id=voucher.id,
            voucher_number=voucher.number_text,
        )
        session.flush()
    except IntegrityError as exc:  # a document or the claim was booked meanwhile
        session.rollback()
        raise InvalidState(
            "This claim or one of its documents is already booked.", state="booked"
        ) from exc
    session.commit()
    return voucher


def _archive(session: Session, store: FileStore, actor: Actor, voucher: JournalVoucher) -> None:
    # Before the claim's transition event, so the history archived with the voucher is the trail
    # that led to it; the voucher itself records who posted it.
    archive_voucher(
        session, store=store, voucher=voucher, actor=actor.principal.user, key=actor.audit_key
    )


def _refuse_blockers(session: Session, claim: Claim) -> None:
    blockers = booking_blockers(findings_of(session, claim))
    missing = [f for f in blockers if f.code == "paper-original-missing"]
    if missing:
        raise PaperOriginalMissing(
            "Receive the paper originals before booking.",
            items=[str(f.item_id) for f in missing],
        )
    if blockers:
        raise BlockingFindings(blockers)


def _last_approver(session: Session, claim: Claim) -> uuid.UUID | None:
    approval = session.exec(
        select(ClaimApproval)
        .where(ClaimApproval.claim_id == claim.id, ClaimApproval.round == claim.round)
        .order_by(ClaimApproval.level.desc())  # type: ignore[attr-defined]
    ).first()
    return approval.approver_id if approval else None


def _finish_documents(session: Session, voucher: JournalVoucher, items: list[BookedItem]) -> None:
    """Booking finishes each document forever: booked_document's unique keys refuse a second."""
    for item in items:
        document = item.invoice or item.paper
        assert document is not None
        session.add(
            BookedDocument(
                invoice_id=item.invoice.id if item.invoice else None,
                paper_voucher_id=item.paper.id if item.paper else None,
                voucher_id=voucher.id,
            )
        )
        document.status = "booked"
        session.add(document)


def pay_claim(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    paid_on: dt.date,
    reference: str,
    *,
    store: FileStore,
) -> JournalVoucher:
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_state(claim, "paid", "booked")
    booking = session.exec(
        select(ClaimPosting).where(
            ClaimPosting.claim_id == claim.id, ClaimPosting.kind == "booking"
        )
    ).one()
    if policy_of(session, claim).segregation_of_duties and booking.actor_id == actor.id:
        raise SegregationOfDuties("You booked this claim; someone else in finance pays it.")
    claimant = session.get(User, claim.claimant_id)
    booked = session.get(JournalVoucher, booking.voucher_id)
    assert claimant is not None
    assert booked is not None  # foreign keys guarantee both
    lines = payment_lines(session, claim.entity_id, claimant, claim.total, reference)
    try:
        voucher = post_voucher(
            session,
            VoucherDraft(
                entity_id=claim.entity_id,
                date=paid_on,
                kind="payment",
                lines=lines,
                prepared_by_id=actor.id,
                claim_id=claim.id,
                # The payment pays for the documents the booking carries (附件张数).
                attachments_count=booked.attachments_count,
                payment_reference=reference,
            ),
        )
        session.add(
            ClaimPosting(
                claim_id=claim.id, kind="payment", voucher_id=voucher.id, actor_id=actor.id
            )
        )
        claim.state = "paid"
        _archive(session, store, actor, voucher)
        record_transition(
            session,
            actor,
            claim,
            "paid",
            details={"voucher": voucher.number_text, "reference": reference},
        )
        publish(session, claim, "claim.paid", voucher_id=voucher.id, paid_on=paid_on)
        notify_claim(session, claim, "claim.paid", claim.claimant_id, paid_on=paid_on)
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise InvalidState("This claim is already paid.", state="paid") from exc
    session.commit()
    return voucher
