"""Gathering what a voucher's archive folder holds: the voucher, its claim, documents and people."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.auth.models import User
from app.claims.models import Claim, ClaimApproval, ClaimHistory
from app.entities.models import LegalEntity
from app.invoices.models import Invoice, InvoiceFile, PaperVoucher
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.queries import voucher_out


@dataclass(frozen=True)
class VoucherContents:
    entity: LegalEntity
    voucher: JournalVoucher
    voucher_json: dict[str, Any]
    lines: list[JournalLine]
    claim: Claim | None
    invoices: list[Invoice]
    renditions: dict[uuid.UUID, list[InvoiceFile]]
    papers: list[PaperVoucher]
    approvals: list[ClaimApproval]
    history: list[ClaimHistory]
    names: dict[uuid.UUID, str]

    def name_of(self, user_id: uuid.UUID | None) -> str | None:
        return self.names.get(user_id) if user_id else None


def load_contents(session: Session, voucher: JournalVoucher) -> VoucherContents:
    """Everything the folder of `voucher` shows, read inside the posting's own transaction."""
    entity = session.get(LegalEntity, voucher.entity_id)
    assert entity is not None  # a foreign key guarantees it
    lines = list(
        session.exec(
            select(JournalLine)
            .where(JournalLine.voucher_id == voucher.id)
            .order_by(col(JournalLine.line_no))
        ).all()
    )
    claim = session.get(Claim, voucher.claim_id) if voucher.claim_id else None
    invoices, papers = _documents(session, lines)
    approvals, history = _trail(session, claim)
    people = {voucher.prepared_by_id, voucher.approved_by_id}
    people |= {a.approver_id for a in approvals} | {a.on_behalf_of_id for a in approvals}
    people |= {h.actor_id for h in history}
    if claim is not None:
        people.add(claim.claimant_id)
    return VoucherContents(
        entity=entity,
        voucher=voucher,
        voucher_json=voucher_out(session, voucher).model_dump(mode="json"),
        lines=lines,
        claim=claim,
        invoices=invoices,
        renditions=_renditions(session, invoices),
        papers=papers,
        approvals=approvals,
        history=history,
        names=_names(session, {p for p in people if p is not None}),
    )


def _documents(
    session: Session, lines: list[JournalLine]
) -> tuple[list[Invoice], list[PaperVoucher]]:
    # In line order, each once: the expense and VAT lines of an item name the same document.
    invoice_ids = list(dict.fromkeys(line.invoice_id for line in lines if line.invoice_id))
    paper_ids = list(
        dict.fromkeys(line.paper_voucher_id for line in lines if line.paper_voucher_id)
    )
    invoices = {
        i.id: i for i in session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids)))
    }
    papers = {
        p.id: p
        for p in session.exec(select(PaperVoucher).where(col(PaperVoucher.id).in_(paper_ids)))
    }
    return [invoices[i] for i in invoice_ids], [papers[p] for p in paper_ids]


def _renditions(session: Session, invoices: list[Invoice]) -> dict[uuid.UUID, list[InvoiceFile]]:
    grouped: dict[uuid.UUID, list[InvoiceFile]] = defaultdict(list)
    rows = session.exec(
        select(InvoiceFile)
        .where(col(InvoiceFile.invoice_id).in_([i.id for i in invoices]))
        .order_by(col(InvoiceFile.kind))
    ).all()
    for row in rows:
        grouped[row.invoice_id].append(row)
    return grouped


def _trail(session: Session, claim: Claim | None) -> tuple[list[ClaimApproval], list[ClaimHistory]]:
    if claim is None:
        return [], []
    approvals = session.exec(
        select(ClaimApproval)
        .where(ClaimApproval.claim_id == claim.id)
        .order_by(col(ClaimApproval.round), col(ClaimApproval.level))
    ).all()
    history = session.exec(
        select(ClaimHistory)
        .where(ClaimHistory.claim_id == claim.id)
        .order_by(col(ClaimHistory.at), col(ClaimHistory.id))
    ).all()
    return list(approvals), list(history)


def _names(session: Session, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    users = session.exec(select(User).where(col(User.id).in_(user_ids))).all()
    return {u.id: f"{u.display_name} ({u.username})" for u in users}
