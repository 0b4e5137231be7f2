"""The 用途确认 (deduction-use confirmation) finance did in the 税务数字账户, recorded per invoice.

It is the ledger's because its date files the invoice's input VAT under a month of the
`input-vat` report: a closed month's figures were declared, so a confirmation neither moves
into nor out of a closed period (409 `period-closed`), as no posting does.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session

from app.audit.service import AuditedObject, EventRecorder
from app.auth.principal import Principal
from app.db import utcnow
from app.invoices.errors import InvoiceStateConflict
from app.invoices.models import Invoice
from app.invoices.queries import get_visible_invoice
from app.kit.bulk import BulkResult, run_each
from app.ledger.periods import hold_open_periods, refuse_outside_posting_days


def confirm_deduction(
    session: Session,
    principal: Principal,
    invoice_id: uuid.UUID,
    confirmed_on: dt.date,
    audit_key: bytes,
) -> Invoice:
    invoice = get_visible_invoice(session, principal, invoice_id)
    if invoice.status == "void":
        raise InvoiceStateConflict(
            "A void invoice is not confirmed for deduction.", invoice_status="void"
        )
    previous = invoice.deduction_confirmed_on
    if previous == confirmed_on:
        return invoice  # confirmed so already: nothing moves, nothing to record
    refuse_outside_posting_days("confirmed_on", confirmed_on)
    # Held, not only read: a close of either month waits for this confirmation to commit.
    hold_open_periods(
        session, invoice.entity_id, [d for d in (previous, confirmed_on) if d is not None]
    )
    # Then the invoice, in the order bookings lock: a confirmation that committed since it was
    # read has moved it, maybe out of a month this one did not hold.
    session.refresh(invoice, with_for_update=True)
    if invoice.deduction_confirmed_on != previous:
        raise InvoiceStateConflict(
            "The invoice's 用途确认 changed meanwhile; read it again before confirming.",
            invoice_status=invoice.status,
        )
    invoice.deduction_confirmed_on = confirmed_on
    invoice.updated_at = utcnow()
    session.add(invoice)
    EventRecorder(principal.user, audit_key).record(
        session,
        "invoice.deduction-confirmed",
        AuditedObject("invoice", invoice.id, invoice.entity_id),
        details={
            "confirmed_on": confirmed_on.isoformat(),
            "previous": previous.isoformat() if previous else None,
        },
    )
    session.commit()
    return invoice


def bulk_confirm_deduction(
    session: Session,
    principal: Principal,
    invoice_ids: list[uuid.UUID],
    confirmed_on: dt.date,
    audit_key: bytes,
) -> BulkResult:
    """The 用途确认 of many invoices, each as the single confirmation in its own transaction."""
    return run_each(
        session,
        invoice_ids,
        lambda invoice_id: confirm_deduction(
            session, principal, invoice_id, confirmed_on, audit_key
        ),
    )
