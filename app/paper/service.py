"""Registering paper vouchers, their scans and the receipt of their physical originals."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.audit.service import AuditedObject
from app.auth.actor import Actor
from app.auth.principal import Principal
from app.auth.visibility import get_visible
from app.claims.models import Claim, ClaimItem
from app.db import utcnow
from app.invoices.errors import FileRefused
from app.invoices.models import PaperVoucher
from app.invoices.owners import entity_member, passenger_employee, uploads_for_others
from app.invoices.parsing import UnsupportedFormat
from app.invoices.tickets import PAPER, hold_ticket, ticket_key
from app.invoices.warnings import add_warning
from app.paper.errors import PaperAfterTransition
from app.paper.schemas import PaperVoucherCreate, ReceiveOriginal
from app.problems import AppError, Conflict, Forbidden, NotFound, ValidationProblem
from app.storage import FileStore
from app.storage.verified import read_verified

# 纸电并行 ended: paper vouchers are valid only for trips up to this date (DOMAIN §1).
LAST_PAPER_TRAVEL_DATE = dt.date(2025, 9, 30)
SCAN_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


class DuplicatePaperVoucher(Conflict):
    slug = "duplicate-paper-voucher"
    title = "Paper voucher already registered"
    explanation = "A paper voucher with this serial number is registered."


@dataclass(frozen=True)
class Scan:
    data: bytes
    content_type: str
    sha256: str


def register_voucher(session: Session, actor: Actor, data: PaperVoucherCreate) -> PaperVoucher:
    if data.travel_date > LAST_PAPER_TRAVEL_DATE:
        raise PaperAfterTransition(
            f"Travel on {data.travel_date} is after 2025-09-30: only the e-invoice is valid.",
            travel_date=data.travel_date.isoformat(),
        )
    entity_id = _entity_for(actor.principal, data.entity)
    owner_id = _owner_for(session, actor.principal, entity_id, data)
    key = ticket_key(data.e_ticket_number, "sale", data.kind)
    assert key is not None  # the schema requires an e-ticket number
    try:
        hold_ticket(session, actor.principal, key, PAPER)
        voucher = PaperVoucher(
            **data.model_dump(exclude={"entity", "owner", "train_number"}),
            # A paper itinerary names a flight; the column predates air and is NOT NULL.
            train_number=data.train_number or "",
            ticket_key=key,
            entity_id=entity_id,
            owner_id=owner_id,
            created_by_id=actor.principal.id,
        )
        if owner_id == actor.principal.id and not actor.principal.is_passenger(
            data.passenger_name, data.passenger_id_masked
        ):
            add_warning(
                voucher,
                "passenger-not-uploader",
                "The passenger is not the person registering the voucher.",
            )
        session.add(voucher)
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise DuplicatePaperVoucher(
            f"A paper voucher with serial number {data.serial_number} is registered."
        ) from exc
    except AppError:
        session.rollback()
        raise
    _audit(session, actor, voucher, "paper-voucher.registered", {"serial": voucher.serial_number})
    session.commit()
    return voucher


def _entity_for(principal: Principal, requested: uuid.UUID | None) -> uuid.UUID:
    if requested is not None:
        if principal.is_admin or requested in principal.entity_ids:
            return requested
        raise ValidationProblem("entity", "not one of your legal entities")
    if len(principal.entity_ids) == 1:
        return next(iter(principal.entity_ids))
    raise ValidationProblem("entity", "name the legal entity: you work for several (or none)")


def _owner_for(
    session: Session, principal: Principal, entity_id: uuid.UUID, data: PaperVoucherCreate
) -> uuid.UUID:
    if not uploads_for_others(principal):
        if data.owner is not None and data.owner != principal.id:
            raise Forbidden("Employees register their own vouchers; finance may set an owner.")
        return principal.id
    if data.owner is not None:
        return entity_member(session, entity_id, data.owner)
    owner = passenger_employee(session, entity_id, data.passenger_name, data.passenger_id_masked)
    if owner is None:
        raise ValidationProblem("owner", "no employee matches the passenger: name the owner")
    return owner


def get_visible_voucher(
    session: Session, principal: Principal, voucher_id: uuid.UUID
) -> PaperVoucher:
    return get_visible(session, principal, PaperVoucher, voucher_id, "No such paper voucher.")


def attach_scan(
    session: Session, actor: Actor, store: FileStore, voucher_id: uuid.UUID, data: bytes
) -> PaperVoucher:
    voucher = get_visible_voucher(session, actor.principal, voucher_id)
    # Seeing a report's voucher (approvers) is not leave to change its archive content.
    if voucher.owner_id != actor.principal.id and not uploads_for_others(actor.principal):
        raise Forbidden("Only the voucher's owner or finance attach its scan.")
    claim_states = _lock_claims_holding(session, voucher)
    if voucher.status == "booked":
        raise Conflict("A booked voucher's archive record is closed; its scan cannot change.")
    # The approver approved the voucher as it stood; a claim sent back to draft may change it.
    on_claim = claim_states[0] if claim_states else None
    if on_claim is not None and on_claim != "draft":
        raise Conflict(
            f"The voucher is on a claim that is {on_claim}; its scan changes only in a draft."
        )
    content_type = scan_content_type(data)
    voucher.scan_sha256 = store.put(data)
    voucher.scan_content_type = content_type
    voucher.updated_at = utcnow()
    session.add(voucher)
    _audit(session, actor, voucher, "paper-voucher.scanned", {"sha256": voucher.scan_sha256})
    session.commit()
    return voucher


def read_scan(
    session: Session, principal: Principal, store: FileStore, voucher_id: uuid.UUID
) -> Scan:
    """The scan's bytes as recorded (a damaged or missing file is a typed problem)."""
    voucher = get_visible_voucher(session, principal, voucher_id)
    if not voucher.scan_sha256 or not voucher.scan_content_type:
        raise NotFound("This voucher has no scan.")
    data = read_verified(store, voucher.scan_sha256)
    return Scan(data, voucher.scan_content_type, voucher.scan_sha256)


def scan_content_type(data: bytes) -> str:
    """The scan's media type by its first bytes; anything but PDF, JPEG or PNG is refused."""
    content_type = next((t for magic, t in SCAN_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise FileRefused(UnsupportedFormat("a scan must be a PDF, JPEG or PNG file"))
    return content_type


def register_with_scan(
    session: Session, actor: Actor, store: FileStore, data: PaperVoucherCreate, scan: bytes
) -> PaperVoucher:
    """Registers the voucher and attaches its scan, as the API's two calls do; a file that is
    no scan is refused before anything is registered."""
    scan_content_type(scan)
    voucher = register_voucher(session, actor, data)
    return attach_scan(session, actor, store, voucher.id, scan)


def receive_original(
    session: Session, actor: Actor, voucher_id: uuid.UUID, data: ReceiveOriginal
) -> PaperVoucher:
    voucher = get_visible_voucher(session, actor.principal, voucher_id)
    _lock_claims_holding(session, voucher)
    if voucher.status == "booked":
        # The archive recorded where the original lies when it was booked; a later change
        # here would leave the archive and the voucher telling two places.
        raise Conflict("A booked voucher's archive record is closed; its receipt cannot change.")
    voucher.received_on = data.received_on
    voucher.location = data.location
    voucher.received_by_id = actor.principal.id
    voucher.updated_at = utcnow()
    session.add(voucher)
    _audit(
        session,
        actor,
        voucher,
        "paper-voucher.received",
        {"received_on": data.received_on.isoformat(), "location": data.location},
    )
    session.commit()
    return voucher


def _lock_claims_holding(session: Session, voucher: PaperVoucher) -> list[str]:
    """Locks the claims that hold the voucher (PostgreSQL; SQLite's write lock is taken at
    BEGIN) and reads the voucher again: a booking locks its claim before it reads the voucher
    for the archive, so a change made here either lands before that read or sees the voucher
    booked. Returns the claims' states."""
    states = session.exec(
        select(Claim.state)
        .join(ClaimItem, col(ClaimItem.claim_id) == col(Claim.id))
        .where(ClaimItem.paper_voucher_id == voucher.id)
        .order_by(col(Claim.id))
        .with_for_update(of=Claim)
    ).all()
    session.refresh(voucher)
    return list(states)


def _audit(
    session: Session, actor: Actor, voucher: PaperVoucher, action: str, details: dict[str, str]
) -> None:
    about = AuditedObject("paper_voucher", voucher.id, voucher.entity_id)
    actor.recorder.record(session, action, about, details=details)
