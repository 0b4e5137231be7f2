"""Gathering what a voucher's archive folder holds: the voucher, its claim, documents and people.

The posting that writes the voucher already holds most of it and hands it over
(`folder_documents`); only what it never loaded (renditions, people's names) is read here. A
posting that holds nothing (a reversal) has it all read (`load_folder_documents`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.auth.models import User
from app.claims.models import Claim, ClaimApproval, ClaimHistory
from app.claims.trail import ClaimTrail, load_trail
from app.entities.models import LegalEntity
from app.invoices.models import Invoice, InvoiceFile, PaperVoucher
from app.invoices.queries import files_by_invoice
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.posting import PostedVoucher
from app.ledger.queries import posted_voucher_out


class NamesDocuments(Protocol):
    """A voucher line, drafted or written: the document it books, if any."""

    @property
    def invoice_id(self) -> uuid.UUID | None: ...

    @property
    def paper_voucher_id(self) -> uuid.UUID | None: ...


@dataclass(frozen=True)
class FolderDocuments:
    """Everything the folder shows but the voucher itself: known before it takes a number."""

    entity: LegalEntity
    claim: Claim | None
    invoices: list[Invoice]
    renditions: dict[uuid.UUID, list[InvoiceFile]]
    papers: list[PaperVoucher]
    approvals: list[ClaimApproval]
    history: list[ClaimHistory]
    names: dict[uuid.UUID, str]

    def name_of(self, user_id: uuid.UUID | None) -> str | None:
        return self.names.get(user_id) if user_id else None


@dataclass(frozen=True)
class VoucherContents(FolderDocuments):
    voucher: JournalVoucher
    voucher_json: dict[str, Any]
    lines: list[JournalLine]


def voucher_contents(documents: FolderDocuments, posted: PostedVoucher) -> VoucherContents:
    """The folder's contents once the voucher is written, from the rows in hand."""
    lines = sorted(posted.lines, key=lambda line: line.line_no)
    return VoucherContents(
        **{f.name: getattr(documents, f.name) for f in fields(FolderDocuments)},
        voucher=posted.voucher,
        voucher_json=posted_voucher_out(posted.voucher, lines).model_dump(mode="json"),
        lines=lines,
    )


def folder_documents(
    session: Session,
    *,
    entity: LegalEntity,
    claim: Claim | None,
    invoices: list[Invoice],
    papers: list[PaperVoucher],
    trail: ClaimTrail,
    people: Iterable[uuid.UUID | None],
    known: Iterable[User] = (),
) -> FolderDocuments:
    """The folder's documents from what the posting loaded; `people` are the voucher's
    preparer and approver, `known` the users already in hand (their names are not read)."""
    wanted = set(people)
    wanted |= {a.approver_id for a in trail.approvals} | {
        a.on_behalf_of_id for a in trail.approvals
    }
    wanted |= {h.actor_id for h in trail.history}
    if claim is not None:
        wanted.add(claim.claimant_id)
    return FolderDocuments(
        entity=entity,
        claim=claim,
        invoices=invoices,
        renditions=files_by_invoice(session, invoices, order_by=col(InvoiceFile.kind)),
        papers=papers,
        approvals=trail.approvals,
        history=trail.history,
        names=_names(session, {p for p in wanted if p is not None}, known),
    )


def load_folder_documents(
    session: Session,
    *,
    entity_id: uuid.UUID,
    claim_id: uuid.UUID | None,
    lines: Sequence[NamesDocuments],
    people: Iterable[uuid.UUID | None],
) -> FolderDocuments:
    """The folder's documents read from the database, for a posting that holds none of them."""
    entity = session.get(LegalEntity, entity_id)
    assert entity is not None  # a foreign key guarantees it
    claim = session.get(Claim, claim_id) if claim_id else None
    invoices, papers = _documents(session, lines)
    return folder_documents(
        session,
        entity=entity,
        claim=claim,
        invoices=invoices,
        papers=papers,
        trail=load_trail(session, claim),
        people=people,
    )


def documents_in_line_order(
    lines: Sequence[NamesDocuments],
    invoices: Iterable[Invoice],
    papers: Iterable[PaperVoucher],
) -> tuple[list[Invoice], list[PaperVoucher]]:
    """In line order, each once: the expense and VAT lines of an item name the same document."""
    by_invoice = {i.id: i for i in invoices}
    by_paper = {p.id: p for p in papers}
    invoice_ids = dict.fromkeys(line.invoice_id for line in lines if line.invoice_id)
    paper_ids = dict.fromkeys(line.paper_voucher_id for line in lines if line.paper_voucher_id)
    return [by_invoice[i] for i in invoice_ids], [by_paper[p] for p in paper_ids]


def _documents(
    session: Session, lines: Sequence[NamesDocuments]
) -> tuple[list[Invoice], list[PaperVoucher]]:
    invoice_ids = {line.invoice_id for line in lines if line.invoice_id}
    paper_ids = {line.paper_voucher_id for line in lines if line.paper_voucher_id}
    invoices = session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids))).all()
    papers = session.exec(select(PaperVoucher).where(col(PaperVoucher.id).in_(paper_ids))).all()
    return documents_in_line_order(lines, invoices, papers)


def _names(
    session: Session, user_ids: set[uuid.UUID], known: Iterable[User]
) -> dict[uuid.UUID, str]:
    users = {u.id: u for u in known if u.id in user_ids}
    missing = user_ids - users.keys()
    if missing:
        users |= {u.id: u for u in session.exec(select(User).where(col(User.id).in_(missing)))}
    return {u.id: f"{u.display_name} ({u.username})" for u in users.values()}
