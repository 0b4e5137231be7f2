"""Naming other documents only to a viewer who may read them (SPEC "Hardening rules").

Deduplication and links span the installation, so a refusal or a finding can be about another
entity's document, or a colleague's. Its id and number go only to a viewer the visibility rules
let read it; anyone else reads "another entity's invoice" or "an invoice you cannot see".
Findings are stored with the ids they name and worded here, per viewer, when they are read:
whoever reads an invoice later (finance, an approver, an auditor) may see more than its uploader.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.auth.principal import Principal
from app.auth.visibility import visible_only
from app.invoices.models import Invoice, PaperVoucher
from app.invoices.warnings import warning_refs

Document = type[Invoice] | type[PaperVoucher]

# Findings that name other invoices, worded from their stored ids for each reader: `{names}`
# lists the numbers the reader may read and says "another entity's invoice" or "an invoice you
# cannot see" for the rest. Other findings are shown as stored.
WORDING = {
    "near-duplicate": "Another invoice has the same passenger, train and travel date ({names}).",
    "ticket-reissued": "Another live invoice holds the same ticket ({names}); wait for the "
    "red-letter invoice that voids one of them.",
    "booked-original-voided": "A red-letter invoice ({names}) reversed this booked invoice: "
    "reverse its voucher.",
    "voided-while-claimed": "A red-letter invoice ({names}) voided this invoice inside a claim.",
}


def worded(code: str, names: list[str]) -> str:
    """The finding `code` naming `names`; with none (a finding stored before findings kept
    their ids, whose numbers nobody can check any more) it names nothing."""
    if not names:
        return WORDING[code].replace(" ({names})", "")
    return WORDING[code].format(names=", ".join(names))


def unseen_words(noun: str, *, other_entity: bool) -> str:
    return f"another entity's {noun}" if other_entity else f"{_article(noun)} {noun} you cannot see"


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def readable_ids(
    session: Session, principal: Principal, model: Document, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `ids` that `principal` may read, by the same rule as every read."""
    if not ids:
        return set()
    statement = select(model.id).where(col(model.id).in_(ids))
    statement = visible_only(statement, principal, model)
    return set(session.exec(statement).all())


def _outside_entities(
    session: Session, principal: Principal, model: Document, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of `ids` that belong to entities `principal` does not work for."""
    statement = select(model.id).where(
        col(model.id).in_(ids), col(model.entity_id).not_in(principal.entity_ids)
    )
    return set(session.exec(statement).all())


@dataclass(frozen=True)
class Existing:
    """The stored document a refusal is about, as the refused caller may learn of it."""

    seen: bool
    # Empty when seen, else e.g. " (another entity's invoice)", put after the words naming it.
    aside: str
    # `existing_invoice_id` when seen, else `existing_invoice: another-entity | not-visible`
    # (`existing_paper_voucher…` for a paper voucher).
    extensions: dict[str, str]


def existing_document(
    session: Session, principal: Principal, model: Document, *candidates: uuid.UUID
) -> Existing:
    """The first of `candidates` (documents that all stand in the way) the caller may read,
    else the first one, unnamed."""
    noun = "invoice" if model is Invoice else "paper voucher"
    key = f"existing_{noun.replace(' ', '_')}"
    readable = readable_ids(session, principal, model, candidates)
    named = next((c for c in candidates if c in readable), None)
    if named is not None:
        return Existing(True, "", {f"{key}_id": str(named)})
    other = bool(_outside_entities(session, principal, model, candidates[:1]))
    words = unseen_words(noun, other_entity=other)
    return Existing(False, f" ({words})", {key: "another-entity" if other else "not-visible"})


@dataclass(frozen=True)
class Sight:
    """What one reader may read among the invoices that some invoices' findings and links name."""

    # The number of each named invoice the reader may read.
    readable: dict[uuid.UUID, str]
    outside: frozenset[uuid.UUID]

    def link(self, invoice_id: uuid.UUID | None) -> uuid.UUID | None:
        return invoice_id if invoice_id in self.readable else None

    def warning(self, stored: dict[str, str]) -> tuple[str, str]:
        """(code, message) for this reader."""
        code = stored["code"]
        if code not in WORDING:
            return code, stored["message"]
        refs = warning_refs(stored)
        names = [self.readable[ref] for ref in refs if ref in self.readable]
        unseen = [ref for ref in refs if ref not in self.readable]
        if unseen:
            other = any(ref in self.outside for ref in unseen)
            names.append(unseen_words("invoice", other_entity=other))
        return code, worded(code, names)


def invoice_sight(session: Session, principal: Principal, invoices: Iterable[Invoice]) -> Sight:
    """One look for a page of invoices: a query, a second if some are hidden, none if nothing
    is named."""
    named: set[uuid.UUID] = set()
    for invoice in invoices:
        named.update(i for i in (invoice.original_invoice_id, invoice.voided_by_id) if i)
        for stored in invoice.warnings:
            named.update(warning_refs(stored))
    if not named:
        return Sight({}, frozenset())
    statement = select(Invoice.id, Invoice.invoice_number).where(col(Invoice.id).in_(named))
    statement = visible_only(statement, principal, Invoice)
    readable = dict(session.exec(statement).all())
    hidden = named - readable.keys()
    outside = _outside_entities(session, principal, Invoice, hidden) if hidden else set()
    return Sight(readable, frozenset(outside))
