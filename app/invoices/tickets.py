"""Ticket holds: a ticket is reimbursed through its e-invoice(s) or its paper voucher, not both."""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, func, select

from app.auth.principal import Principal
from app.db import insert_ignore
from app.invoices.errors import TicketAlreadyClaimed
from app.invoices.models import Invoice, PaperVoucher, TicketHold
from app.invoices.sight import existing_document

E_INVOICE, PAPER = "e-invoice", "paper"

# Built once: every upload and paper voucher runs them.
_HOLDER = select(TicketHold.medium).where(col(TicketHold.ticket_key) == bindparam("key"))
_LIVE_OF_TICKET = select(Invoice).where(
    col(Invoice.ticket_key) == bindparam("key"),
    col(Invoice.status) != "void",
    col(Invoice.is_red_letter).is_(False),
)


def ticket_key(
    e_ticket_number: str | None, business_type: str, kind: str = "railway"
) -> str | None:
    """The ticket a document reimburses: (e-ticket number, business type, kind). A railway key
    keeps its original two-part spelling, so every stored key and hold stays valid."""
    if not e_ticket_number:
        return None
    key = f"{e_ticket_number.strip().upper()}|{business_type}"
    return key if kind == "railway" else f"{key}|{kind}"


def live_invoices_of_ticket(session: Session, key: str) -> list[Invoice]:
    return list(session.exec(_LIVE_OF_TICKET, params={"key": key}).all())


def hold_ticket(session: Session, viewer: Principal, key: str, medium: str) -> None:
    """Claims the ticket for `medium`, or raises 409 if a live document of the other medium has it.

    The 409 names the holder only if `viewer` (who asked) may read it.

    The hold row's primary key serializes racing claims: the insert of the loser waits for the
    winner's commit (PostgreSQL) or the write lock (SQLite), then reads the winner's medium.
    """
    if insert_ignore(session, TicketHold, {"ticket_key": key, "medium": medium}):
        holder = medium
    else:
        holder = session.exec(_HOLDER, params={"key": key}).one()
    if holder == medium:
        if medium == PAPER:
            _refuse_second_paper(session, viewer, key)
        return
    if _other_medium_is_live(session, key, holder):
        raise _conflict(session, viewer, key, holder)
    # Every document of the other medium is void: the ticket is free to change hands.
    session.execute(
        update(TicketHold).where(col(TicketHold.ticket_key) == key).values(medium=medium)
    )


def check_ticket_free(session: Session, viewer: Principal, key: str, medium: str) -> None:
    """The read-only half of `hold_ticket`: raises 409 if a live document of the other medium
    holds the ticket. It takes no hold; `hold_ticket` decides under the primary key."""
    holder = session.exec(_HOLDER, params={"key": key}).first()
    if holder is not None and holder != medium and _other_medium_is_live(session, key, holder):
        raise _conflict(session, viewer, key, holder)


def _other_medium_is_live(session: Session, key: str, holder: str) -> bool:
    if holder == E_INVOICE:
        return bool(live_invoices_of_ticket(session, key))
    count = session.exec(
        select(func.count())
        .select_from(PaperVoucher)
        .where(PaperVoucher.ticket_key == key, PaperVoucher.status != "void")
    ).one()
    return count > 0


def _refuse_second_paper(session: Session, viewer: Principal, key: str) -> None:
    existing = session.exec(select(PaperVoucher.id).where(PaperVoucher.ticket_key == key)).first()
    if existing is not None:
        holder = existing_document(session, viewer, PaperVoucher, existing)
        raise TicketAlreadyClaimed(
            f"A paper voucher of this ticket is already registered{holder.aside}.",
            **holder.extensions,
        )


def _conflict(session: Session, viewer: Principal, key: str, holder: str) -> TicketAlreadyClaimed:
    if holder == E_INVOICE:
        live = live_invoices_of_ticket(session, key)
        existing = existing_document(session, viewer, Invoice, *(i.id for i in live))
        return TicketAlreadyClaimed(
            f"An e-invoice of this ticket is already stored{existing.aside}; a ticket is "
            "reimbursed once.",
            **existing.extensions,
        )
    voucher = session.exec(
        select(PaperVoucher.id).where(PaperVoucher.ticket_key == key, PaperVoucher.status != "void")
    ).first()
    assert voucher is not None  # the caller found it live
    existing = existing_document(session, viewer, PaperVoucher, voucher)
    return TicketAlreadyClaimed(
        f"A paper voucher of this ticket is already registered{existing.aside}; a ticket is "
        "reimbursed once.",
        **existing.extensions,
    )
