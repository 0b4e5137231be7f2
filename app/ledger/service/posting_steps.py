"""The ledger's part of posting: booking an approved claim, paying a booked one and reversing a
voucher (a 红字 voucher with negated lines in the period of the reversal date). Each gives the
checks, the voucher draft and the rows that finish it; app/posting runs them with the archive
record in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.audit.service import AuditedObject
from app.auth.actor import Actor
from app.auth.models import User
from app.claims.access import require_state
from app.claims.errors import BlockingFindings
from app.claims.facts import LoadedItem, evaluate_claims, load_items, policy_of
from app.claims.models import Claim, ClaimHistory
from app.claims.policy import booking_blockers
from app.claims.service.common import notify_claim, publish, record_transition
from app.claims.trail import ClaimTrail
from app.entities.models import LegalEntity
from app.kit.dates import business_today
from app.ledger.errors import InvalidState, PaperOriginalMissing, SegregationOfDuties
from app.ledger.lines import BookedItem, booking_lines, payment_lines
from app.ledger.models import BookedDocument, ClaimPosting, JournalLine, JournalVoucher
from app.ledger.periods import refuse_outside_posting_days
from app.ledger.posting import LineDraft, VoucherDraft
from app.ledger.queries import get_voucher
from app.problems import ValidationProblem


@dataclass(frozen=True)
class BookingPlan:
    """What booking a claim writes, worked out before its voucher takes a number."""

    claim: Claim
    entity: LegalEntity
    claimant: User
    loaded: list[LoadedItem]
    draft: VoucherDraft
    warnings: list[str]

    @property
    def items(self) -> list[BookedItem]:
        return [BookedItem(entry.invoice, entry.paper) for entry in self.loaded]


@dataclass(frozen=True)
class PaymentPlan:
    claim: Claim
    claimant: User
    draft: VoucherDraft
    reference: str


def plan_booking(
    session: Session,
    actor: Actor,
    claim: Claim,
    trail: ClaimTrail,
    booking_date: dt.date | None,
) -> BookingPlan:
    """Refuses what may not be booked (state, segregation of duties, blocking findings) and
    drafts the voucher; writes nothing. `claim` is locked by the caller."""
    require_state(claim, "booked", "approved")
    if booking_date is not None:
        refuse_outside_posting_days("booking_date", booking_date)
    if policy_of(session, claim).segregation_of_duties and actor.id in trail.current_approver_ids(
        claim
    ):
        raise SegregationOfDuties("You approved this claim; someone else in finance books it.")
    loaded = load_items(session, [claim.id]).get(claim.id, [])
    _refuse_blockers(session, claim, loaded)
    entity = session.get(LegalEntity, claim.entity_id)
    claimant = session.get(User, claim.claimant_id)
    assert entity is not None  # foreign keys guarantee both
    assert claimant is not None
    items = [BookedItem(entry.invoice, entry.paper) for entry in loaded]
    lines, warnings = booking_lines(session, entity, claimant, items)
    draft = VoucherDraft(
        entity_id=claim.entity_id,
        date=booking_date or business_today(),
        kind="booking",
        lines=tuple(lines),
        prepared_by_id=actor.id,
        approved_by_id=trail.last_approver_id(claim),
        claim_id=claim.id,
        attachments_count=len(items),
    )
    return BookingPlan(claim, entity, claimant, loaded, draft, warnings)


def _refuse_blockers(session: Session, claim: Claim, loaded: list[LoadedItem]) -> None:
    findings = evaluate_claims(session, [claim], {claim.id: loaded})[claim.id]
    blockers = booking_blockers(findings)
    missing = [f for f in blockers if f.code == "paper-original-missing"]
    if missing:
        raise PaperOriginalMissing(
            "Receive the paper originals before booking.",
            items=[str(f.item_id) for f in missing],
        )
    if blockers:
        raise BlockingFindings(blockers)


def finish_booking(
    session: Session, actor: Actor, plan: BookingPlan, voucher: JournalVoucher
) -> list[BookedDocument]:
    """Finishes each document forever (booked_document's unique keys refuse a second) and moves
    the claim to booked; returns the documents' booked marks."""
    marks = []
    for item in plan.items:
        document = item.invoice or item.paper
        assert document is not None
        mark = BookedDocument(
            invoice_id=item.invoice.id if item.invoice else None,
            paper_voucher_id=item.paper.id if item.paper else None,
            voucher_id=voucher.id,
        )
        session.add(mark)
        marks.append(mark)
        document.status = "booked"
        session.add(document)
    session.add(
        ClaimPosting(
            claim_id=plan.claim.id, kind="booking", voucher_id=voucher.id, actor_id=actor.id
        )
    )
    plan.claim.state = "booked"
    return marks


def announce_booking(
    session: Session, actor: Actor, plan: BookingPlan, voucher: JournalVoucher
) -> ClaimHistory:
    """The claim's history entry, audit event and webhook of the booking."""
    entry = record_transition(
        session,
        actor,
        plan.claim,
        "booked",
        # In the claim's history too: finance reads it there, the audit log is auditors'.
        comment="; ".join(plan.warnings)[:2000] or None,
        details={"voucher": voucher.number_text, "warnings": plan.warnings},
    )
    publish(
        session,
        plan.claim,
        "claim.booked",
        voucher_id=voucher.id,
        voucher_number=voucher.number_text,
    )
    return entry


def plan_payment(
    session: Session, actor: Actor, claim: Claim, paid_on: dt.date, reference: str
) -> PaymentPlan:
    """Refuses what may not be paid and drafts the payment voucher Dr 2241 / Cr 1002."""
    require_state(claim, "paid", "booked")
    refuse_outside_posting_days("paid_on", paid_on)
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
    _refuse_reversed_booking(session, booked)
    if paid_on < booked.date:
        # The payable a payment settles exists from its booking on; a payment dated earlier
        # would settle it in the books before it was owed (and in an earlier period).
        raise ValidationProblem(
            "paid_on",
            f"not before {booked.date}, the date of the booking voucher {booked.number_text}",
            code="paid_before_booking",
        )
    lines = payment_lines(session, claim.entity_id, claimant, claim.total, reference)
    draft = VoucherDraft(
        entity_id=claim.entity_id,
        date=paid_on,
        kind="payment",
        lines=lines,
        prepared_by_id=actor.id,
        claim_id=claim.id,
        # The payment pays for the documents the booking carries (附件张数).
        attachments_count=booked.attachments_count,
        payment_reference=reference,
    )
    return PaymentPlan(claim, claimant, draft, reference)


def _refuse_reversed_booking(session: Session, booked: JournalVoucher) -> None:
    """A reversed booking cancelled the payable (Cr 2241) that a payment would settle: paying
    it would pay out money the books no longer owe."""
    reversal = session.exec(
        select(JournalVoucher).where(JournalVoucher.reverses_id == booked.id)
    ).first()
    if reversal is not None:
        raise InvalidState(
            f"The booking voucher {booked.number_text} was reversed by {reversal.number_text}; "
            "there is nothing left to pay.",
            state="booked",
        )


def finish_payment(
    session: Session, actor: Actor, plan: PaymentPlan, voucher: JournalVoucher
) -> None:
    session.add(
        ClaimPosting(
            claim_id=plan.claim.id, kind="payment", voucher_id=voucher.id, actor_id=actor.id
        )
    )
    plan.claim.state = "paid"


def announce_payment(
    session: Session, actor: Actor, plan: PaymentPlan, voucher: JournalVoucher
) -> ClaimHistory:
    """The claim's history entry, audit event, webhook and the claimant's e-mail."""
    claim, paid_on = plan.claim, plan.draft.date
    entry = record_transition(
        session,
        actor,
        claim,
        "paid",
        details={"voucher": voucher.number_text, "reference": plan.reference},
    )
    publish(session, claim, "claim.paid", voucher_id=voucher.id, paid_on=paid_on)
    notify_claim(session, claim, "claim.paid", claim.claimant_id, paid_on=paid_on)
    return entry


@dataclass(frozen=True)
class ReversalPlan:
    original: JournalVoucher
    original_lines: list[JournalLine]
    draft: VoucherDraft
    reason: str


def plan_reversal(
    session: Session,
    actor: Actor,
    voucher_id: uuid.UUID,
    *,
    reversal_date: dt.date | None,
    reason: str,
) -> ReversalPlan:
    """Corrections never edit a posted voucher: the reversal carries the same lines in red."""
    original = get_voucher(session, actor.principal, voucher_id)
    if original.kind == "reversal":
        raise InvalidState("A reversal is not reversed again; post a new voucher instead.")
    on = reversal_date or business_today()
    refuse_outside_posting_days("reversal_date", on)
    if on < original.date:  # a correction cannot predate what it corrects
        raise ValidationProblem("reversal_date", f"not before the voucher's date {original.date}")
    reversed_by = select(JournalVoucher.id).where(JournalVoucher.reverses_id == original.id)
    if session.exec(reversed_by).first() is not None:  # refused before anything is prepared
        raise _already_reversed(original)
    lines = list(
        session.exec(
            select(JournalLine)
            .where(JournalLine.voucher_id == original.id)
            .order_by(col(JournalLine.line_no))
        ).all()
    )
    draft = VoucherDraft(
        entity_id=original.entity_id,
        date=on,
        kind="reversal",
        lines=tuple(_negated(line, original, reason) for line in lines),
        prepared_by_id=actor.principal.id,
        claim_id=original.claim_id,
        reverses_id=original.id,
        attachments_count=original.attachments_count,
    )
    return ReversalPlan(original, lines, draft, reason)


def already_reversed(plan: ReversalPlan) -> InvalidState:
    """The refusal when the voucher's reverses_id is taken: a voucher is reversed once."""
    return _already_reversed(plan.original)


def _already_reversed(original: JournalVoucher) -> InvalidState:
    return InvalidState(f"Voucher {original.number_text} is already reversed.")


def announce_reversal(
    session: Session, actor: Actor, plan: ReversalPlan, reversal: JournalVoucher
) -> None:
    original = plan.original
    actor.recorder.record(
        session,
        "voucher.reversed",
        AuditedObject("voucher", original.id, original.entity_id),
        details={
            "reversal": reversal.number_text,
            "original": original.number_text,
            "reason": plan.reason,
        },
    )


def _negated(line: JournalLine, original: JournalVoucher, reason: str) -> LineDraft:
    return LineDraft(
        account_code=line.account_code,
        account_name=line.account_name,
        debit=-line.debit,
        credit=-line.credit,
        memo=f"冲销 {original.number_text}: {reason}"[:200],
        department=line.department,
        cost_centre=line.cost_centre,
        invoice_id=line.invoice_id,
        paper_voucher_id=line.paper_voucher_id,
        tax_basis=line.tax_basis,
    )
