"""The SPEC's claim JSON, built for many claims at once with findings recomputed on read.

The vouchers a claim names are the ledger's, which sits above claims: a caller hands in how to
find them (`ClaimVouchers`, the ledger's `voucher_ids_by_claim`); claims never import it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from sqlmodel import Session, col, select

from app.claims.facts import LoadedItem, evaluate_claims, load_items
from app.claims.models import Claim, ClaimApproval, ClaimHistory
from app.claims.policy import Finding
from app.claims.schemas import (
    AcknowledgedWarning,
    ApprovalOut,
    ClaimItemOut,
    ClaimOut,
    FindingOut,
    HistoryOut,
    RejectionOut,
)
from app.invoices.air import route_number
from app.invoices.models import Invoice, PaperVoucher

Row = TypeVar("Row", ClaimApproval, ClaimHistory)
# The vouchers posted for each of some claims, oldest first.
ClaimVouchers = Callable[[Session, Sequence[uuid.UUID]], Mapping[uuid.UUID, list[uuid.UUID]]]


def unposted(
    _session: Session, _claim_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """No vouchers: what the claims commands answer, since they act on drafts and claims in
    approval, which only a posting (app/posting) moves on to booked."""
    return {}


def claims_out(
    session: Session, claims: Sequence[Claim], vouchers: ClaimVouchers
) -> list[ClaimOut]:
    """Several claims in a fixed number of queries, whatever their count."""
    ids = [c.id for c in claims]
    items = load_items(session, ids)
    findings = evaluate_claims(session, claims, items)
    approvals = _by_claim(
        session.exec(
            select(ClaimApproval)
            .where(col(ClaimApproval.claim_id).in_(ids))
            .order_by(col(ClaimApproval.level))
        ).all()
    )
    history = _by_claim(
        session.exec(
            select(ClaimHistory)
            .where(col(ClaimHistory.claim_id).in_(ids))
            .order_by(col(ClaimHistory.at), col(ClaimHistory.id))
        ).all()
    )
    posted = vouchers(session, ids)
    return [
        _claim_out(
            c, items.get(c.id, []), findings[c.id], approvals[c.id], history[c.id]
        ).model_copy(update={"voucher_ids": posted.get(c.id, [])})
        for c in claims
    ]


def claim_out(session: Session, claim: Claim, vouchers: ClaimVouchers = unposted) -> ClaimOut:
    return claims_out(session, [claim], vouchers)[0]


def claim_out_from_rows(
    session: Session,
    claim: Claim,
    *,
    loaded: list[LoadedItem],
    approvals: list[ClaimApproval],
    history: list[ClaimHistory],
    voucher_ids: list[uuid.UUID],
) -> ClaimOut:
    """A claim just posted, from the rows the posting holds (history oldest first): only its
    findings are judged again, since its documents are booked now."""
    findings = evaluate_claims(session, [claim], {claim.id: loaded})[claim.id]
    by_level = sorted(approvals, key=lambda a: a.level)
    return _claim_out(claim, loaded, findings, by_level, history).model_copy(
        update={"voucher_ids": voucher_ids}
    )


def _by_claim(rows: Sequence[Row]) -> dict[uuid.UUID, list[Row]]:
    grouped: dict[uuid.UUID, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.claim_id].append(row)
    return grouped


def _claim_out(
    claim: Claim,
    items: list[LoadedItem],
    findings: list[Finding],
    approvals: list[ClaimApproval],
    history: list[ClaimHistory],
) -> ClaimOut:
    # Approvals of the current round that still count: a rejection or withdrawal resets them.
    current = [a for a in approvals if a.round == claim.round and a.level <= claim.approved_levels]
    return ClaimOut(
        id=claim.id,
        number=claim.number,
        entity=claim.entity_id,
        state=claim.state,
        claimant=claim.claimant_id,
        title=claim.title,
        purpose=claim.purpose,
        items=[_item_out(i) for i in items],
        total=claim.total,
        findings=[FindingOut(**f.__dict__) for f in findings],
        required_levels=claim.required_levels,
        awaiting_approver=claim.awaiting_approver_id,
        approvals=[_approval_out(a) for a in current],
        last_rejection=_rejection_out(claim),
        voucher_ids=[],
        history=[
            HistoryOut(action=h.action, actor=h.actor_id, at=h.at, comment=h.comment)
            for h in history
        ],
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        submitted_at=claim.submitted_at,
        approved_at=claim.approved_at,
    )


def _item_out(loaded: LoadedItem) -> ClaimItemOut:
    item, invoice, paper = loaded.item, loaded.invoice, loaded.paper
    document: Invoice | PaperVoucher
    if invoice is not None:
        document, number, business_type = invoice, invoice.invoice_number, invoice.business_type
    else:
        assert paper is not None
        document, number, business_type = paper, paper.serial_number, "sale"
    return ClaimItemOut(
        id=item.id,
        kind="invoice" if invoice else "paper",
        invoice_id=item.invoice_id,
        paper_voucher_id=item.paper_voucher_id,
        justification=item.justification,
        amount=item.amount,
        number=number,
        business_type=business_type,
        travel_kind="air" if document.kind == "air" else "railway",
        travel_date=document.travel_date,
        train_number=None if document.kind == "air" else document.train_number,
        flight_number=route_number(document) if document.kind == "air" else None,
        departure_station=document.departure_station,
        arrival_station=document.arrival_station,
        seat_class=document.seat_class,
        passenger_name=document.passenger_name,
        status=document.status,
    )


def _approval_out(approval: ClaimApproval) -> ApprovalOut:
    return ApprovalOut(
        level=approval.level,
        approver=approval.approver_id,
        on_behalf_of=approval.on_behalf_of_id,
        at=approval.at,
        comment=approval.comment,
        acknowledged_warnings=[
            AcknowledgedWarning.model_validate(w) for w in approval.acknowledged_warnings
        ],
    )


def _rejection_out(claim: Claim) -> RejectionOut | None:
    if claim.last_rejection_reason is None:
        return None
    return RejectionOut(
        reason=claim.last_rejection_reason,
        by=claim.last_rejected_by_id,
        at=claim.last_rejected_at,
    )
