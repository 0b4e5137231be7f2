"""Book, pay and reverse: the ledger's voucher and the archive's record in one transaction.

Each use case runs in three steps. The ledger checks and drafts the voucher and the archive
plans its folder from the rows already loaded, storing every file that does not name the
voucher; then the voucher takes its number (the period row's lock, held to the commit, so
numbers stay gap-free); then what names the number is written and everything commits once.
Work before the number runs beside other bookings of the period; work after it runs in turn.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.archive.contents import (
    FolderDocuments,
    documents_in_line_order,
    folder_documents,
    load_folder_documents,
)
from app.archive.service import PreparedFolder, archive_voucher, prepare_folder
from app.auth.actor import Actor
from app.claims.access import get_visible_claim
from app.claims.errors import InvalidState
from app.claims.facts import LoadedItem, load_items
from app.claims.models import Claim, ClaimApproval, ClaimHistory
from app.claims.schemas import ClaimOut
from app.claims.trail import ClaimTrail, load_trail
from app.claims.views import claim_out_from_rows
from app.entities.models import LegalEntity
from app.ledger.models import BookedDocument, JournalVoucher
from app.ledger.periods import refuse_closed_period
from app.ledger.posting import PostedVoucher, write_voucher
from app.ledger.queries import voucher_ids_by_claim
from app.ledger.service import (
    BookingPlan,
    already_reversed,
    announce_booking,
    announce_payment,
    announce_reversal,
    finish_booking,
    finish_payment,
    plan_booking,
    plan_payment,
    plan_reversal,
)
from app.storage import FileStore


@dataclass(frozen=True)
class PostedClaim:
    """A claim as its posting left it, with the rows it loaded: enough to answer with."""

    claim: Claim
    voucher: JournalVoucher
    loaded: list[LoadedItem] | None  # None: the posting did not load the items (payment)
    approvals: list[ClaimApproval]
    history: list[ClaimHistory]


def book_claim(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    booking_date: dt.date | None,
    *,
    store: FileStore,
) -> PostedClaim:
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    trail = load_trail(session, claim)
    plan = plan_booking(session, actor, claim, trail, booking_date)
    refuse_closed_period(session, claim.entity_id, plan.draft.date)
    folder = prepare_folder(store, _booking_documents(session, actor, plan, trail), "booking")
    try:
        posted = write_voucher(session, plan.draft)  # the number: in turn from here on
        marks = finish_booking(session, actor, plan, posted.voucher)
        # Before the claim's transition, so the history archived with the voucher is the trail
        # that led to it; the voucher itself records who posted it.
        _archive(session, store, actor, folder, posted, marks=marks)
        entry = announce_booking(session, actor, plan, posted.voucher)
        session.flush()
    except IntegrityError as exc:  # a document or the claim was booked meanwhile
        session.rollback()
        raise InvalidState(
            "This claim or one of its documents is already booked.", state="booked"
        ) from exc
    session.commit()
    return PostedClaim(claim, posted.voucher, plan.loaded, trail.approvals, [*trail.history, entry])


def _booking_documents(
    session: Session, actor: Actor, plan: BookingPlan, trail: ClaimTrail
) -> FolderDocuments:
    items = plan.items
    invoices, papers = documents_in_line_order(
        plan.draft.lines,
        [i.invoice for i in items if i.invoice],
        [i.paper for i in items if i.paper],
    )
    return folder_documents(
        session,
        entity=plan.entity,
        claim=plan.claim,
        invoices=invoices,
        papers=papers,
        trail=trail,
        people=(plan.draft.prepared_by_id, plan.draft.approved_by_id),
        known=(actor.principal.user, plan.claimant),
    )


def pay_claim(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    paid_on: dt.date,
    reference: str,
    *,
    store: FileStore,
) -> PostedClaim:
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    plan = plan_payment(session, actor, claim, paid_on, reference)
    refuse_closed_period(session, claim.entity_id, paid_on)
    trail = load_trail(session, claim)
    entity = session.get(LegalEntity, claim.entity_id)
    assert entity is not None  # a foreign key guarantees it
    documents = folder_documents(
        session,
        entity=entity,
        claim=claim,
        invoices=[],  # a payment's lines name no document: its folder refers to the booking's
        papers=[],
        trail=trail,
        people=(plan.draft.prepared_by_id,),
        known=(actor.principal.user, plan.claimant),
    )
    folder = prepare_folder(store, documents, "payment")
    try:
        posted = write_voucher(session, plan.draft)  # the number: in turn from here on
        finish_payment(session, actor, plan, posted.voucher)
        _archive(session, store, actor, folder, posted, marks=[])
        entry = announce_payment(session, actor, plan, posted.voucher)
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise InvalidState("This claim is already paid.", state="paid") from exc
    session.commit()
    return PostedClaim(claim, posted.voucher, None, trail.approvals, [*trail.history, entry])


def reverse_voucher(
    session: Session,
    actor: Actor,
    voucher_id: uuid.UUID,
    *,
    reversal_date: dt.date | None,
    reason: str,
    store: FileStore,
) -> PostedVoucher:
    """Corrections never edit a posted voucher: the reversal carries the same lines in red."""
    plan = plan_reversal(session, actor, voucher_id, reversal_date=reversal_date, reason=reason)
    draft = plan.draft
    refuse_closed_period(session, draft.entity_id, draft.date)
    documents = load_folder_documents(
        session,
        entity_id=draft.entity_id,
        claim_id=draft.claim_id,
        lines=draft.lines,
        people=(draft.prepared_by_id,),
    )
    folder = prepare_folder(store, documents, "reversal")
    try:
        posted = write_voucher(session, draft)  # the number: in turn from here on
    except IntegrityError as exc:  # reverses_id is unique: a voucher is reversed once
        session.rollback()
        raise already_reversed(plan) from exc
    archive_voucher(
        session,
        store=store,
        folder=folder,
        posted=posted,
        marks=None,  # the booking's marks of the documents it corrects: read by the archive
        actor=actor.principal.user,
        key=actor.audit_key,
    )
    announce_reversal(session, actor, plan, posted.voucher)
    session.commit()
    return posted


def _archive(
    session: Session,
    store: FileStore,
    actor: Actor,
    folder: PreparedFolder,
    posted: PostedVoucher,
    *,
    marks: Sequence[BookedDocument],
) -> None:
    archive_voucher(
        session,
        store=store,
        folder=folder,
        posted=posted,
        marks=marks,
        actor=actor.principal.user,
        key=actor.audit_key,
    )


def posted_claim_out(session: Session, posted: PostedClaim) -> ClaimOut:
    """The claim JSON of a posting's answer, from the rows it holds: the claim is not read again."""
    claim = posted.claim
    loaded = posted.loaded
    if loaded is None:
        loaded = load_items(session, [claim.id]).get(claim.id, [])
    return claim_out_from_rows(
        session,
        claim,
        loaded=loaded,
        approvals=posted.approvals,
        history=posted.history,
        voucher_ids=voucher_ids_by_claim(session, [claim.id]).get(claim.id, []),
    )
