"""What an upload is, decided once by reading: a new invoice, or new renditions of a stored one.

`decide_intake` raises every refusal a read can find (identical file, known invoice with
nothing new, buyer, owner, ticket held by paper), so refused bytes are never stored, and
returns the decision the write acts on. The write decides nothing again: if the database
changed in between (a racing upload of the same invoice), its insert fails on a unique
constraint and the caller decides afresh (app.invoices.recording.record_intake).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import CompoundSelect, bindparam, select, union_all
from sqlmodel import Session, col

from app.auth.principal import Principal
from app.invoices.errors import DuplicateInvoice
from app.invoices.models import Invoice, InvoiceFile
from app.invoices.owners import match_buyer, resolve_owner, uploads_for_others
from app.invoices.parsing import ParsedInvoice, Rendition
from app.invoices.sight import existing_document
from app.invoices.tickets import E_INVOICE, check_ticket_free, ticket_key


@dataclass(frozen=True)
class IntakeContext:
    """Who uploads, for whom (finance and systems may name an owner), under which audit key."""

    principal: Principal
    owner_hint: uuid.UUID | None
    audit_key: bytes


@dataclass(frozen=True)
class NewInvoice:
    """The upload is an invoice not stored yet: whose it is and the ticket it holds.

    Plain values, not rows: the deciding read ends (expiring its rows) before any bytes are
    stored, and none of these change before the write that matters."""

    entity_id: uuid.UUID
    owner_id: uuid.UUID | None
    # Checked only when the uploader owns the invoice (the one case its warning is about).
    passenger_is_uploader: bool
    # None for a red-letter invoice (a reversal holds no ticket) or without an e-ticket number.
    ticket_key: str | None


@dataclass(frozen=True)
class NewRenditions:
    """The upload is another file form (PDF, OFD, XML) of a stored invoice the uploader may see."""

    invoice_id: uuid.UUID
    renditions: tuple[Rendition, ...]


IntakeDecision = NewInvoice | NewRenditions


def decide_intake(session: Session, ctx: IntakeContext, parsed: ParsedInvoice) -> IntakeDecision:
    """Reads only; raises the upload's refusals, else says what the write is to do."""
    joining = _joining(session, ctx.principal, parsed)
    if joining is not None:
        return joining
    entity_id = match_buyer(session, ctx.principal, parsed)
    owner_id = resolve_owner(session, ctx.principal, entity_id, parsed, ctx.owner_hint)
    key = None if parsed.is_red_letter else ticket_key(
        parsed.e_ticket_number, parsed.business_type, parsed.kind
    )  # fmt: skip
    if key is not None:
        check_ticket_free(session, ctx.principal, key, E_INVOICE)
    passenger_is_uploader = owner_id == ctx.principal.id and ctx.principal.is_passenger(
        parsed.passenger_name, parsed.passenger_id_masked
    )
    return NewInvoice(entity_id, owner_id, passenger_is_uploader, key)


# Built once (the hot path of every upload): files with the upload's hashes, and the stored
# invoice of its number with its files (NULL kind and hash if it has none), each row with what
# decides whether the uploader may extend that invoice.
_KnownFile = tuple[uuid.UUID, str | None, str | None, str, uuid.UUID | None, uuid.UUID]
_KNOWN_FILES: CompoundSelect[_KnownFile] = union_all(
    select(
        col(InvoiceFile.invoice_id).label("invoice_id"),
        col(InvoiceFile.kind).label("kind"),
        col(InvoiceFile.sha256).label("sha256"),
        col(Invoice.invoice_number).label("invoice_number"),
        col(Invoice.owner_id).label("owner_id"),
        col(Invoice.entity_id).label("entity_id"),
    )
    .join(Invoice, col(Invoice.id) == col(InvoiceFile.invoice_id))
    .where(col(InvoiceFile.sha256).in_(bindparam("shas", expanding=True))),
    select(
        col(Invoice.id),
        col(InvoiceFile.kind),
        col(InvoiceFile.sha256),
        col(Invoice.invoice_number),
        col(Invoice.owner_id),
        col(Invoice.entity_id),
    )
    .select_from(Invoice)
    .outerjoin(InvoiceFile, col(InvoiceFile.invoice_id) == col(Invoice.id))
    .where(col(Invoice.invoice_number) == bindparam("number")),
)


def _joining(session: Session, principal: Principal, parsed: ParsedInvoice) -> NewRenditions | None:
    """The stored invoice of this number and the renditions the upload adds to it, if any."""
    shas = [r.sha256 for r in parsed.renditions]
    known = session.execute(_KNOWN_FILES, {"shas": shas, "number": parsed.invoice_number}).all()
    same_file = next((row for row in known if row.sha256 in shas), None)
    if same_file is not None:
        existing = existing_document(session, principal, Invoice, same_file.invoice_id)
        raise DuplicateInvoice(
            f"This exact file was uploaded before{existing.aside}.", **existing.extensions
        )
    if not known:
        return None
    stored = known[0]
    stored_kinds = {row.kind for row in known if row.kind is not None}
    new = tuple(r for r in parsed.renditions if r.kind not in stored_kinds)
    if not new or not _may_extend(principal, stored.owner_id, stored.entity_id):
        existing = existing_document(session, principal, Invoice, stored.invoice_id)
        raise DuplicateInvoice(
            f"Invoice {stored.invoice_number} is already stored."
            if existing.seen
            else f"This invoice is already stored{existing.aside}.",
            **existing.extensions,
        )
    return NewRenditions(stored.invoice_id, new)


def _may_extend(principal: Principal, owner_id: uuid.UUID | None, entity_id: uuid.UUID) -> bool:
    """A second rendition joins an invoice only for someone who may see it."""
    if principal.is_admin or owner_id == principal.id:
        return True
    return uploads_for_others(principal) and entity_id in principal.entity_ids
