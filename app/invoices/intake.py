"""Taking one parsed invoice in: deduplicate, check, hold its ticket, store its row and links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import CompoundSelect, bindparam, union_all
from sqlmodel import Session, col, select

from app.audit.service import record_event
from app.auth.principal import Principal
from app.db import utcnow
from app.invoices.air import kind_columns
from app.invoices.errors import DuplicateInvoice
from app.invoices.linking import link_new_invoice
from app.invoices.models import Invoice, InvoiceFile
from app.invoices.owners import (
    match_buyer,
    resolve_owner,
    uploads_for_others,
)
from app.invoices.parsing import ParsedInvoice, Rendition
from app.invoices.sight import existing_document
from app.invoices.tickets import E_INVOICE, check_ticket_free, hold_ticket, ticket_key
from app.invoices.verification.provider import VerificationResult
from app.invoices.warnings import add_warning
from app.kit.dates import business_today
from app.kit.filenames import clean_filename
from app.webhooks.outbox import enqueue_event


@dataclass(frozen=True)
class IntakeContext:
    principal: Principal
    owner_hint: uuid.UUID | None
    audit_key: bytes


@dataclass(frozen=True)
class Ingested:
    outcome: Literal["created", "rendition-added"]
    invoice: Invoice
    # The invoice's file rows when this upload made them all (a new invoice), else None.
    files: list[InvoiceFile] | None = None


@dataclass(frozen=True)
class Acceptance:
    """What the read-only check decided about a new invoice, reused by the first write attempt.

    Plain values, not rows: the check's transaction ends (expiring its rows) before any bytes
    are stored, and none of these change between the check and the write that matters: a
    racing upload of the same invoice fails the write on a unique constraint instead.
    """

    entity_id: uuid.UUID
    owner_id: uuid.UUID | None
    # Checked only when the uploader owns the invoice (the one case its warning is about);
    # False otherwise.
    passenger_is_uploader: bool


def ingest_parsed(
    session: Session,
    ctx: IntakeContext,
    parsed: ParsedInvoice,
    verification: VerificationResult,
    xbrl_sha256: str | None,
    accepted: Acceptance | None = None,
) -> Ingested:
    """Adds the invoice (or a new rendition of a stored one) to the session; the caller commits.

    With `accepted` (from `check_acceptable` a moment ago) the invoice is taken as new; if it
    no longer is, its insert fails on a unique constraint and the caller retries without.
    """
    if accepted is None:
        joining = _joining(session, ctx, parsed)
        if joining is not None:
            return _add_renditions(session, ctx, *joining, xbrl_sha256)
        accepted = _accept(session, ctx, parsed)
    return _create(session, ctx, parsed, verification, xbrl_sha256, accepted)


def check_acceptable(
    session: Session, ctx: IntakeContext, parsed: ParsedInvoice
) -> Acceptance | None:
    """Read-only: raises the refusals `ingest_parsed` would, so refused bytes are never stored.

    Returns None when the invoice is already known (a new rendition may join it), else what
    `ingest_parsed` needs to create it. `ingest_parsed` decides under the database
    constraints; only a lost race can still leave an unreferenced file (for `gc`).
    """
    if _joining(session, ctx, parsed) is not None:
        return None
    accepted = _accept(session, ctx, parsed)
    key = _ticket_key_of(parsed)
    if key is not None:
        check_ticket_free(session, ctx.principal, key, E_INVOICE)
    return accepted


def _accept(session: Session, ctx: IntakeContext, parsed: ParsedInvoice) -> Acceptance:
    entity = match_buyer(session, ctx.principal, parsed)
    owner_id = resolve_owner(session, ctx.principal, entity, parsed, ctx.owner_hint)
    passenger_matches = owner_id == ctx.principal.id and ctx.principal.is_passenger(
        parsed.passenger_name, parsed.passenger_id_masked
    )
    return Acceptance(entity.id, owner_id, passenger_matches)


def _ticket_key_of(parsed: ParsedInvoice) -> str | None:
    if parsed.is_red_letter:
        return None
    return ticket_key(parsed.e_ticket_number, parsed.business_type, parsed.kind)


# Built once (the hot path of every upload): files with the upload's hashes, and the stored
# invoice of its number with its files (a row of NULLs if it has none).
_KNOWN_FILES: CompoundSelect[tuple[uuid.UUID, str | None, str | None]] = union_all(
    select(
        col(InvoiceFile.invoice_id).label("invoice_id"),
        col(InvoiceFile.kind).label("kind"),
        col(InvoiceFile.sha256).label("sha256"),
    ).where(col(InvoiceFile.sha256).in_(bindparam("shas", expanding=True))),
    select(col(Invoice.id), col(InvoiceFile.kind), col(InvoiceFile.sha256))
    .select_from(Invoice)
    .outerjoin(InvoiceFile, col(InvoiceFile.invoice_id) == col(Invoice.id))
    .where(col(Invoice.invoice_number) == bindparam("number")),
)


def _joining(
    session: Session, ctx: IntakeContext, parsed: ParsedInvoice
) -> tuple[Invoice, list[Rendition]] | None:
    """The stored invoice of this number and the renditions the upload adds to it, if any."""
    shas = [r.sha256 for r in parsed.renditions]
    known = session.execute(_KNOWN_FILES, {"shas": shas, "number": parsed.invoice_number}).all()
    same_file = next((row for row in known if row.sha256 in shas), None)
    if same_file is not None:
        existing = existing_document(session, ctx.principal, Invoice, same_file.invoice_id)
        raise DuplicateInvoice(
            f"This exact file was uploaded before{existing.aside}.", **existing.extensions
        )
    if not known:
        return None
    invoice = session.get_one(Invoice, known[0].invoice_id)
    stored_kinds = {row.kind for row in known if row.kind is not None}
    new = [r for r in parsed.renditions if r.kind not in stored_kinds]
    if not new or not _may_extend(ctx.principal, invoice):
        existing = existing_document(session, ctx.principal, Invoice, invoice.id)
        raise DuplicateInvoice(
            f"Invoice {invoice.invoice_number} is already stored."
            if existing.seen
            else f"This invoice is already stored{existing.aside}.",
            **existing.extensions,
        )
    return invoice, new


def _add_renditions(
    session: Session,
    ctx: IntakeContext,
    invoice: Invoice,
    new: list[Rendition],
    xbrl_sha256: str | None,
) -> Ingested:
    for rendition in new:
        session.add(
            _file_row(
                invoice.id,
                rendition.kind,
                rendition.filename,
                rendition.sha256,
                len(rendition.data),
            )
        )
    if invoice.xbrl_sha256 is None and xbrl_sha256 is not None:
        invoice.xbrl_sha256 = xbrl_sha256
    invoice.updated_at = utcnow()
    session.add(invoice)
    _audit(session, ctx, invoice, "invoice.rendition-added", [r.kind for r in new])
    return Ingested("rendition-added", invoice)


def _may_extend(principal: Principal, invoice: Invoice) -> bool:
    """A second rendition joins an invoice only for someone who may see it."""
    if principal.is_admin or invoice.owner_id == principal.id:
        return True
    return uploads_for_others(principal) and invoice.entity_id in principal.entity_ids


def _create(
    session: Session,
    ctx: IntakeContext,
    parsed: ParsedInvoice,
    verification: VerificationResult,
    xbrl_sha256: str | None,
    accepted: Acceptance,
) -> Ingested:
    key = _ticket_key_of(parsed)
    if key is not None:
        hold_ticket(session, ctx.principal, key, E_INVOICE)
    invoice = _invoice_row(
        parsed, accepted.entity_id, accepted.owner_id, ctx.principal.id, key, verification
    )
    invoice.xbrl_sha256 = xbrl_sha256
    _initial_warnings(ctx, invoice, parsed, accepted)
    files = [
        _file_row(invoice.id, r.kind, r.filename, r.sha256, len(r.data)) for r in parsed.renditions
    ]
    session.add(invoice)
    session.add_all(files)
    # Before linking: the audit append locks the chain's head until the commit, so concurrent
    # uploads link one after the other and the later one's link queries see the earlier one
    # (a blue invoice and its red-letter, a fee and its sale, two re-issues of one ticket,
    # arriving at the same instant on PostgreSQL would otherwise each miss the other).
    _audit(session, ctx, invoice, "invoice.uploaded", [r.kind for r in parsed.renditions])
    link_new_invoice(session, invoice)
    enqueue_event(
        session,
        event_type="invoice.created",
        data=_event_data(invoice),
        ordering_key=f"invoice:{invoice.id}",
    )
    return Ingested("created", invoice, files)


def _event_data(invoice: Invoice) -> dict[str, object]:
    # Finance systems pull the full record over the API; the event carries no personal data.
    return {
        "id": invoice.id,
        "invoice_number": invoice.invoice_number,
        "business_type": invoice.business_type,
        "entity": invoice.entity_id,
        "owner": invoice.owner_id,
        "kind": invoice.kind,
        "fare": invoice.fare,
        "total_amount": invoice.total_amount,
        "travel_date": invoice.travel_date,
        "status": invoice.status,
    }


def _initial_warnings(
    ctx: IntakeContext, invoice: Invoice, parsed: ParsedInvoice, accepted: Acceptance
) -> None:
    for finding in parsed.findings:
        add_warning(invoice, finding.code, finding.message)
    if not parsed.e_ticket_number and not parsed.is_red_letter:
        add_warning(
            invoice,
            "no-e-ticket-number",
            "The invoice carries no 电子客票号, so ticket-level deduplication is skipped.",
        )
    if parsed.issue_date is not None and parsed.issue_date > business_today():
        add_warning(
            invoice,
            "issued-in-future",
            f"The invoice is dated {parsed.issue_date.isoformat()}, after today in China: "
            "a claim for it cannot be submitted.",
        )
    if invoice.owner_id == ctx.principal.id and not accepted.passenger_is_uploader:
        add_warning(
            invoice,
            "passenger-not-uploader",
            "The passenger is not the uploader (name or ID last 4 differ from the "
            "profile): a claim for it needs a justification.",
        )


def _invoice_row(
    parsed: ParsedInvoice,
    entity_id: uuid.UUID,
    owner_id: uuid.UUID | None,
    uploader_id: uuid.UUID,
    key: str | None,
    verification: VerificationResult,
) -> Invoice:
    now = utcnow()
    # The default factories' fields (id, warnings, timestamps) are given: a factory left to
    # SQLModel costs a signature inspection per row, 2.6 % of an upload's profile samples.
    return Invoice(
        id=uuid.uuid4(),
        invoice_number=parsed.invoice_number,
        business_type=parsed.business_type,
        is_red_letter=parsed.is_red_letter,
        issue_date=parsed.issue_date,
        train_number=parsed.train_number,
        departure_station=parsed.departure_station,
        arrival_station=parsed.arrival_station,
        travel_date=parsed.travel_date,
        departure_time=parsed.departure_time,
        seat_class=parsed.seat_class,
        carriage=parsed.carriage,
        seat=parsed.seat,
        fare=parsed.fare,
        amount_excluding_tax=parsed.amount_excluding_tax,
        tax_rate=parsed.tax_rate,
        tax_amount=parsed.tax_amount,
        e_ticket_number=parsed.e_ticket_number,
        ticket_key=key,
        passenger_name=parsed.passenger_name,
        passenger_id_masked=parsed.passenger_id_masked,
        buyer_name=parsed.buyer_name,
        buyer_tax_id=parsed.buyer_tax_id,
        entity_id=entity_id,
        original_invoice_number=parsed.original_invoice_number,
        source=parsed.source,
        sha256=parsed.sha256,
        # A red-letter invoice reverses another; it is never reimbursed itself.
        status="void" if parsed.is_red_letter else "available",
        verification=verification.status,
        verification_message=verification.message[:500],
        verified_at=verification.checked_at,
        owner_id=owner_id,
        uploaded_by_id=uploader_id,
        warnings=[],
        created_at=now,
        updated_at=now,
        **kind_columns(parsed),
    )


def _file_row(
    invoice_id: uuid.UUID, kind: str, filename: str, sha256: str, size: int
) -> InvoiceFile:
    safe_name = clean_filename(filename, f"invoice.{kind}")
    return InvoiceFile(
        id=uuid.uuid4(),
        invoice_id=invoice_id,
        kind=kind,
        filename=safe_name,
        sha256=sha256,
        size=size,
        created_at=utcnow(),
    )


def _audit(
    session: Session, ctx: IntakeContext, invoice: Invoice, action: str, kinds: list[str]
) -> None:
    record_event(
        session,
        actor=ctx.principal.user,
        action=action,
        object_type="invoice",
        object_id=str(invoice.id),
        entity_id=invoice.entity_id,
        details={"invoice_number": invoice.invoice_number, "renditions": kinds},
        key=ctx.audit_key,
    )
