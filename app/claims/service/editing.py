"""Fixing a draft: change its title and purpose or an item's justification, or delete it."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.claims.models import Claim, ClaimApproval, ClaimHistory, ClaimItem
from app.claims.schemas import ClaimOut, ClaimPatch
from app.claims.service.common import audit_claim, item_of, own_draft
from app.claims.views import claim_out
from app.db import utcnow
from app.invoices.models import Invoice, PaperVoucher


def update_draft(
    session: Session, actor: Actor, claim_id: uuid.UUID, patch: ClaimPatch
) -> ClaimOut:
    """The claimant changes the title and/or purpose of their draft."""
    claim = own_draft(session, actor, claim_id, "changed")
    changed = sorted(patch.model_fields_set)
    if patch.title is not None:
        claim.title = patch.title
    if patch.purpose is not None:
        claim.purpose = patch.purpose
    claim.updated_at = utcnow()
    session.add(claim)
    audit_claim(session, actor, claim, "claim.edited", {"fields": changed})
    session.commit()
    return claim_out(session, claim)


def set_item_justification(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    item_id: uuid.UUID,
    justification: str | None,
) -> ClaimOut:
    """Sets (or clears, with None) why the claimant claims this item, e.g. a colleague's ticket;
    the blocking `passenger-not-claimant` finding goes once a justification is there."""
    claim = own_draft(session, actor, claim_id, "changed")
    item = item_of(session, claim, item_id)
    item.justification = justification
    session.add(item)
    claim.updated_at = utcnow()
    session.add(claim)
    audit_claim(
        session,
        actor,
        claim,
        "claim.item-justified",
        {"item_id": str(item.id), "justified": justification is not None},
    )
    session.commit()
    return claim_out(session, claim)


def delete_draft(session: Session, actor: Actor, claim_id: uuid.UUID) -> None:
    """Deletes the claimant's draft and frees its documents; the audit log keeps the deletion.

    Its number is not given out again (the only gap in claim numbers)."""
    claim = own_draft(session, actor, claim_id, "deleted")
    items = session.exec(select(ClaimItem).where(ClaimItem.claim_id == claim.id)).all()
    audit_claim(
        session,
        actor,
        claim,
        "claim.deleted",
        {"number": claim.number, "items": len(items)},
    )
    _free(session, Invoice, [i.invoice_id for i in items if i.invoice_id])
    _free(session, PaperVoucher, [i.paper_voucher_id for i in items if i.paper_voucher_id])
    for child in (ClaimItem, ClaimApproval, ClaimHistory):
        session.execute(delete(child).where(col(child.claim_id) == claim.id))
    session.execute(delete(Claim).where(col(Claim.id) == claim.id))
    session.commit()


def _free(
    session: Session, model: type[Invoice] | type[PaperVoucher], ids: list[uuid.UUID]
) -> None:
    if not ids:
        return
    # A document voided meanwhile stays void; only a claimed one becomes available again.
    session.execute(
        update(model)
        .where(col(model.id).in_(ids), col(model.status) == "claimed")
        .values(status="available", updated_at=utcnow())
    )
