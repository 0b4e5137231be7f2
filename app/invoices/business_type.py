"""Finance settles the business type of an invoice whose files do not agree on it.

The parser flags `business-type-unclear` when the XBRL's TypeOfBusiness and the face's evidence
(the label carrying the amount, the red markers) contradict each other; claims holding such an
invoice are blocked until finance reads the document and sets the type here.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app.audit.service import AuditedObject, EventRecorder
from app.auth.principal import Principal
from app.db import utcnow
from app.invoices.errors import InvoiceStateConflict
from app.invoices.linking import relink_for_business_type
from app.invoices.models import Invoice
from app.invoices.parsing import BusinessType
from app.invoices.queries import get_visible_invoice
from app.invoices.tickets import E_INVOICE, hold_ticket, ticket_key
from app.invoices.warnings import drop_warning

UNCLEAR = "business-type-unclear"
# Raised for a sale only: once finance names a fee, the premise is gone.
_SALE_ONLY_WARNINGS = ("issue-before-travel",)


def settle_business_type(
    session: Session,
    principal: Principal,
    invoice_id: uuid.UUID,
    business_type: BusinessType,
    comment: str | None,
    audit_key: bytes,
) -> Invoice:
    invoice = get_visible_invoice(session, principal, invoice_id)
    if not any(w["code"] == UNCLEAR for w in invoice.warnings):
        raise InvoiceStateConflict(
            "Only an invoice whose business type is unclear takes a business type from finance.",
            invoice_status=invoice.status,
        )
    if invoice.status == "booked":
        raise InvoiceStateConflict(
            "A booked invoice keeps its business type; reverse its voucher first.",
            invoice_status="booked",
        )
    previous, previous_key = invoice.business_type, invoice.ticket_key
    invoice.business_type = business_type
    if not invoice.is_red_letter:
        invoice.ticket_key = ticket_key(invoice.e_ticket_number, business_type, invoice.kind)
        if invoice.ticket_key is not None and invoice.ticket_key != previous_key:
            hold_ticket(
                session, principal, invoice.ticket_key, E_INVOICE
            )  # 409 if a paper voucher has it
    drop_warning(invoice, UNCLEAR)
    if business_type != "sale":
        for code in _SALE_ONLY_WARNINGS:
            drop_warning(invoice, code)
    invoice.updated_at = utcnow()
    relink_for_business_type(session, invoice, previous_key)
    EventRecorder(principal.user, audit_key).record(
        session,
        "invoice.business-type-set",
        AuditedObject("invoice", invoice.id, invoice.entity_id),
        details={"business_type": business_type, "previous": previous, "comment": comment},
    )
    session.commit()
    return invoice
