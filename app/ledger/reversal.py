"""The ledger's part of reversing a voucher: a 红字 voucher with negated lines in the period of
the reversal date. app/posting writes it with its archive record in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.audit.service import AuditedObject
from app.auth.actor import Actor
from app.kit.dates import business_today
from app.ledger.errors import InvalidState
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.posting import LineDraft, VoucherDraft
from app.ledger.queries import get_voucher
from app.problems import ValidationProblem


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
