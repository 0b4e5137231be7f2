"""Links between invoices: red-letter reversals, fees and their sale, re-issues, near twins."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, or_
from sqlmodel import Session, col, select

from app.db import utcnow
from app.invoices.models import Invoice
from app.invoices.sight import worded
from app.invoices.tickets import live_invoices_of_ticket
from app.invoices.warnings import add_warning, drop_warning

FEE_TYPES = ("refund", "change")


def link_new_invoice(session: Session, invoice: Invoice) -> None:
    """Applies every link the arrival of `invoice` creates, in either arrival order."""
    if invoice.is_red_letter:
        _apply_red_letter(session, invoice)
        return
    related = _related_invoices(session, invoice)
    waiting_red = next(
        (
            r
            for r in related
            if r.is_red_letter
            and r.original_invoice_number == invoice.invoice_number
            and r.entity_id == invoice.entity_id
        ),
        None,
    )
    if waiting_red is not None:
        _link_red_letter(session, invoice, waiting_red)
    if invoice.business_type in FEE_TYPES:
        _link_fee_to_sale(session, invoice)
    if invoice.business_type == "sale":
        _adopt_waiting_fees(session, invoice, related)
    if invoice.ticket_key and invoice.status != "void":
        others = [r for r in related if r.ticket_key == invoice.ticket_key and _is_live_blue(r)]
        _apply_reissue_flags(session, [invoice, *others])
    _flag_near_duplicates(invoice, related)


# Built once (every upload runs it). Each branch has its own index; a NULL parameter makes
# its branch match nothing.
_RELATED = select(Invoice).where(
    col(Invoice.id) != bindparam("id"),
    or_(
        col(Invoice.original_invoice_number) == bindparam("number"),
        col(Invoice.ticket_key) == bindparam("ticket_key"),
        and_(
            col(Invoice.train_number) == bindparam("train_number"),
            col(Invoice.travel_date) == bindparam("travel_date"),
            col(Invoice.passenger_name) == bindparam("passenger_name"),
        ),
    ),
)


def _related_invoices(session: Session, invoice: Invoice) -> list[Invoice]:
    """In one query, every stored invoice the new one may link to: red-letters and fees naming
    it, holders of its ticket and near twins."""
    params = {
        "id": invoice.id,
        "number": invoice.invoice_number,
        "ticket_key": invoice.ticket_key,
        "train_number": invoice.train_number,
        "travel_date": invoice.travel_date,
        "passenger_name": invoice.passenger_name,
    }
    return list(session.exec(_RELATED, params=params).all())


def _is_live_blue(invoice: Invoice) -> bool:
    return invoice.status != "void" and not invoice.is_red_letter


def _has_trip(invoice: Invoice) -> bool:
    return bool(invoice.passenger_name and invoice.train_number and invoice.travel_date)


def _apply_red_letter(session: Session, red: Invoice) -> None:
    # A red-letter invoice reverses an invoice of the same buyer, never another entity's.
    original = (
        session.exec(
            select(Invoice).where(
                Invoice.invoice_number == red.original_invoice_number,
                Invoice.entity_id == red.entity_id,
            )
        ).first()
        if red.original_invoice_number
        else None
    )
    if original is None:
        add_warning(
            red,
            "original-unknown",
            "The blue invoice this red-letter invoice reverses is not stored for this buyer "
            "yet; it will be voided when it arrives.",
        )
        return
    _link_red_letter(session, original, red)


def _link_red_letter(session: Session, original: Invoice, red: Invoice) -> None:
    red.original_invoice_id = original.id
    drop_warning(red, "original-unknown")
    session.add(red)
    void_original(session, original, red)


def void_original(session: Session, original: Invoice, red: Invoice) -> None:
    """A red-letter invoice voids its original; a booked original needs finance to reverse."""
    original.voided_by_id = red.id
    original.updated_at = utcnow()
    if original.status == "booked":
        _warn_voided_by(original, red, "booked-original-voided")
    else:
        if original.status == "claimed":
            _warn_voided_by(original, red, "voided-while-claimed")
        original.status = "void"
        # Void, it no longer competes with a re-issue of its ticket.
        drop_warning(original, "ticket-reissued")
    session.add(original)
    session.flush()
    if original.ticket_key:
        refresh_reissue_flags(session, original.ticket_key)


def _warn_voided_by(original: Invoice, red: Invoice, code: str) -> None:
    """A warning on the original, in `code`'s words, naming the red-letter invoice that voids it."""
    add_warning(original, code, worded(code, [red.invoice_number]), refs=[red.id])


def refresh_reissue_flags(session: Session, key: str) -> None:
    """Two live blue invoices of one ticket are a 换开 whose red-letter has not arrived yet."""
    _apply_reissue_flags(session, live_invoices_of_ticket(session, key))


def _apply_reissue_flags(session: Session, live: list[Invoice]) -> None:
    for invoice in live:
        if len(live) > 1:
            others = [i for i in live if i.id != invoice.id]
            add_warning(
                invoice,
                "ticket-reissued",
                worded("ticket-reissued", [i.invoice_number for i in others]),
                refs=[i.id for i in others],
            )
        else:
            drop_warning(invoice, "ticket-reissued")
        session.add(invoice)


def _link_fee_to_sale(session: Session, fee: Invoice) -> None:
    sale = (
        session.exec(
            select(Invoice).where(Invoice.invoice_number == fee.original_invoice_number)
        ).first()
        if fee.original_invoice_number
        else None
    )
    if sale is None:
        add_warning(
            fee,
            "sale-unknown",
            "The sale invoice of this refund or change fee is not stored.",
        )
        return
    fee.original_invoice_id = sale.id


def _adopt_waiting_fees(session: Session, sale: Invoice, related: list[Invoice]) -> None:
    for fee in related:
        if (
            fee.original_invoice_number == sale.invoice_number
            and fee.business_type in FEE_TYPES
            and fee.original_invoice_id is None
        ):
            fee.original_invoice_id = sale.id
            drop_warning(fee, "sale-unknown")
            session.add(fee)


def _flag_near_duplicates(invoice: Invoice, related: list[Invoice]) -> None:
    """Same passenger, train and day on another ticket: probably the same trip twice."""
    if not _has_trip(invoice):
        return
    twins = [
        twin
        for twin in related
        if twin.passenger_name == invoice.passenger_name
        and twin.passenger_id_masked == invoice.passenger_id_masked
        and twin.train_number == invoice.train_number
        and twin.travel_date == invoice.travel_date
        and twin.business_type == invoice.business_type
        and _is_live_blue(twin)
        # A re-issue of the same ticket is flagged as such.
        and not (twin.ticket_key and twin.ticket_key == invoice.ticket_key)
    ]
    if twins:
        add_warning(
            invoice,
            "near-duplicate",
            worded("near-duplicate", [twin.invoice_number for twin in twins]),
            refs=[twin.id for twin in twins],
        )


def relink_for_business_type(session: Session, invoice: Invoice, previous_key: str | None) -> None:
    """The links the business type decides, redone after finance set it: the fee's sale and
    the re-issue flags of the ticket it left and the one it joined."""
    if not invoice.is_red_letter:  # a red-letter's link is to the invoice it reverses
        drop_warning(invoice, "sale-unknown")
        invoice.original_invoice_id = None
        if invoice.business_type in FEE_TYPES:
            _link_fee_to_sale(session, invoice)
    session.add(invoice)
    session.flush()
    for key in sorted({k for k in (previous_key, invoice.ticket_key) if k}):
        refresh_reissue_flags(session, key)
