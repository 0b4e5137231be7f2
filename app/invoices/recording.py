"""Writing a decided upload: the invoice and its files, or the new renditions of a stored one,
with the ticket hold, the audit event, the links to other invoices and the outbox event."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session

from app.audit.service import AuditedObject, EventRecorder
from app.db import utcnow
from app.invoices.air import kind_columns
from app.invoices.decision import (
    IntakeContext,
    IntakeDecision,
    NewInvoice,
    NewRenditions,
    decide_intake,
)
from app.invoices.linking import link_new_invoice
from app.invoices.models import Invoice, InvoiceFile
from app.invoices.parsing import ParsedInvoice, Rendition
from app.invoices.tickets import E_INVOICE, hold_ticket
from app.invoices.verification.provider import VerificationResult
from app.invoices.warnings import add_warning
from app.kit.dates import business_today
from app.kit.filenames import clean_filename
from app.webhooks.outbox import enqueue_event

# Concurrent uploads of one invoice collide on unique constraints; a retry sees the winner.
INGEST_ATTEMPTS = 3

# Built once: Core inserts, as nothing reads these rows back before the commit (the ORM's unit
# of work cost about 0.5 ms per upload on the bench machine for the two rows).
_INSERT_INVOICE = insert(Invoice.__table__)  # type: ignore[attr-defined]
_INSERT_FILE = insert(InvoiceFile.__table__)  # type: ignore[attr-defined]
_INVOICE_COLUMNS = tuple(Invoice.model_fields)
_FILE_COLUMNS = tuple(InvoiceFile.model_fields)


@dataclass(frozen=True)
class Ingested:
    outcome: Literal["created", "rendition-added"]
    invoice: Invoice
    # The invoice's file rows when this upload made them all (a new invoice), else None.
    files: list[InvoiceFile] | None = None


def record_intake(
    session: Session,
    ctx: IntakeContext,
    parsed: ParsedInvoice,
    decision: IntakeDecision,
    verification: VerificationResult,
    xbrl_sha256: str | None,
    *,
    savepoint: bool,
) -> Ingested:
    """Writes what `decision` says; the caller commits.

    A lost race (a concurrent upload, or a twin earlier in a batch, stored the invoice or the
    file since the decision) fails on a unique constraint; the upload is then decided afresh
    from what the winner stored and written again. With `savepoint` only this invoice is
    undone (a batch's other members stay); without, the whole transaction is, which a single
    upload can afford and which saves two statements.
    """
    for attempt in range(INGEST_ATTEMPTS):
        scope = session.begin_nested() if savepoint else contextlib.nullcontext()
        try:
            with scope:
                if attempt > 0:
                    decision = decide_intake(session, ctx, parsed)
                if isinstance(decision, NewRenditions):
                    return _add_renditions(session, ctx, decision, xbrl_sha256)
                return _create(session, ctx, parsed, decision, verification, xbrl_sha256)
        except IntegrityError:
            if not savepoint:
                session.rollback()
            if attempt == INGEST_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _add_renditions(
    session: Session, ctx: IntakeContext, decision: NewRenditions, xbrl_sha256: str | None
) -> Ingested:
    invoice = session.get_one(Invoice, decision.invoice_id)
    files = [_file_row(invoice.id, r) for r in decision.renditions]
    session.execute(_INSERT_FILE, [_values(f, _FILE_COLUMNS) for f in files])
    if invoice.xbrl_sha256 is None and xbrl_sha256 is not None:
        invoice.xbrl_sha256 = xbrl_sha256
    invoice.updated_at = utcnow()
    _audit(session, ctx, invoice, "invoice.rendition-added", [r.kind for r in decision.renditions])
    return Ingested("rendition-added", invoice)


def _create(
    session: Session,
    ctx: IntakeContext,
    parsed: ParsedInvoice,
    decision: NewInvoice,
    verification: VerificationResult,
    xbrl_sha256: str | None,
) -> Ingested:
    if decision.ticket_key is not None:
        hold_ticket(session, ctx.principal, decision.ticket_key, E_INVOICE)
    invoice = _invoice_row(parsed, decision, ctx.principal.id, verification, xbrl_sha256)
    _initial_warnings(ctx, invoice, parsed, decision)
    files = [_file_row(invoice.id, r) for r in parsed.renditions]
    session.execute(_INSERT_INVOICE, _values(invoice, _INVOICE_COLUMNS))
    session.execute(_INSERT_FILE, [_values(f, _FILE_COLUMNS) for f in files])
    _persisted(session, invoice)
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


def _values(row: Invoice | InvoiceFile, columns: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in columns}


def _persisted(session: Session, invoice: Invoice) -> None:
    """The row just inserted by Core, in the session as if loaded: the links may change it
    (warnings, status), and the session writes such a change at the flush as an UPDATE."""
    make_transient_to_detached(invoice)
    session.add(invoice)


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
    ctx: IntakeContext, invoice: Invoice, parsed: ParsedInvoice, decision: NewInvoice
) -> None:
    # A warning is kept once per code: two findings of one code (the total and the tax both off)
    # become one warning whose message names both.
    messages: dict[str, list[str]] = {}
    for finding in parsed.findings:
        messages.setdefault(finding.code, []).append(finding.message)
    for code, texts in messages.items():
        add_warning(invoice, code, "; ".join(dict.fromkeys(texts)))
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
    if invoice.owner_id == ctx.principal.id and not decision.passenger_is_uploader:
        add_warning(
            invoice,
            "passenger-not-uploader",
            "The passenger is not the uploader (name or ID last 4 differ from the "
            "profile): a claim for it needs a justification.",
        )


def _invoice_row(
    parsed: ParsedInvoice,
    decision: NewInvoice,
    uploader_id: uuid.UUID,
    verification: VerificationResult,
    xbrl_sha256: str | None,
) -> Invoice:
    now = utcnow()
    # Every column is given: the row is inserted by Core from these attributes, and a default
    # factory left to SQLModel costs a signature inspection per row.
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
        ticket_key=decision.ticket_key,
        passenger_name=parsed.passenger_name,
        passenger_id_masked=parsed.passenger_id_masked,
        buyer_name=parsed.buyer_name,
        buyer_tax_id=parsed.buyer_tax_id,
        entity_id=decision.entity_id,
        original_invoice_number=parsed.original_invoice_number,
        original_invoice_id=None,
        voided_by_id=None,
        source=parsed.source,
        sha256=parsed.sha256,
        xbrl_sha256=xbrl_sha256,
        # A red-letter invoice reverses another; it is never reimbursed itself.
        status="void" if parsed.is_red_letter else "available",
        verification=verification.status,
        verification_message=verification.message[:500],
        verified_at=verification.checked_at,
        deduction_confirmed_on=None,
        owner_id=decision.owner_id,
        uploaded_by_id=uploader_id,
        warnings=[],
        created_at=now,
        updated_at=now,
        **kind_columns(parsed),
    )


def _file_row(invoice_id: uuid.UUID, rendition: Rendition) -> InvoiceFile:
    return InvoiceFile(
        id=uuid.uuid4(),
        invoice_id=invoice_id,
        kind=rendition.kind,
        filename=clean_filename(rendition.filename, f"invoice.{rendition.kind}"),
        sha256=rendition.sha256,
        size=len(rendition.data),
        created_at=utcnow(),
    )


def _audit(
    session: Session, ctx: IntakeContext, invoice: Invoice, action: str, kinds: list[str]
) -> None:
    EventRecorder(ctx.principal.user, ctx.audit_key).record(
        session,
        action,
        AuditedObject("invoice", invoice.id, invoice.entity_id),
        details={"invoice_number": invoice.invoice_number, "renditions": kinds},
    )
