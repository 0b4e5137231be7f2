"""What every claim command shares: who acts, the history entry, the audit event, the webhook."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select

from app.audit.service import AuditedObject
from app.auth.actor import Actor
from app.auth.models import User
from app.claims.access import get_visible_claim, require_claimant, require_state
from app.claims.models import Claim, ClaimApproval, ClaimHistory, ClaimItem
from app.db import utcnow
from app.kit.money import to_cents
from app.notifications.messages import ClaimNotice
from app.notifications.outbox import notify_user
from app.problems import NotFound
from app.webhooks.outbox import enqueue_event


def record_transition(
    session: Session,
    actor: Actor,
    claim: Claim,
    action: str,
    *,
    comment: str | None = None,
    details: dict[str, Any] | None = None,
) -> ClaimHistory:
    """A history entry and an audit event for `action`, in the caller's transaction; the entry
    is returned for callers that show the claim without reading it back."""
    now = utcnow()
    claim.updated_at = now
    session.add(claim)
    entry = ClaimHistory(
        claim_id=claim.id, action=action, actor_id=actor.id, at=now, comment=comment
    )
    session.add(entry)
    audit_claim(session, actor, claim, f"claim.{action}", {"comment": comment, **(details or {})})
    return entry


def own_claim(
    session: Session, actor: Actor, claim_id: uuid.UUID, step: str, action: str, *states: str
) -> Claim:
    """The actor's own claim, locked: only its claimant may `step`, and only from `states`
    (`require_state`'s `action` and `states`)."""
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_claimant(actor.principal, claim, step)
    require_state(claim, action, *states)
    return claim


def own_draft(session: Session, actor: Actor, claim_id: uuid.UUID, action: str) -> Claim:
    """The actor's own draft, locked for the change `action`."""
    return own_claim(session, actor, claim_id, "change", action, "draft")


def item_of(session: Session, claim: Claim, item_id: uuid.UUID) -> ClaimItem:
    item = session.exec(
        select(ClaimItem).where(ClaimItem.id == item_id, ClaimItem.claim_id == claim.id)
    ).first()
    if item is None:
        raise NotFound("This claim has no such item.")
    return item


def audit_claim(
    session: Session, actor: Actor, claim: Claim, action: str, details: dict[str, Any]
) -> None:
    actor.recorder.record(
        session,
        action,
        AuditedObject("claim", claim.id, claim.entity_id),
        details={"state": claim.state, "total": str(claim.total), **details},
    )


def publish(session: Session, claim: Claim, event_type: str, **extra: Any) -> None:
    """The webhook event of a transition; per-claim order comes from the claim's row lock."""
    data: dict[str, Any] = {
        "id": claim.id,
        "entity": claim.entity_id,
        "claimant": claim.claimant_id,
        "state": claim.state,
        "title": claim.title,
        "total": to_cents(claim.total),
        **extra,
    }
    enqueue_event(session, event_type=event_type, data=data, ordering_key=f"claim:{claim.id}")


def notify_claim(
    session: Session,
    claim: Claim,
    kind: str,
    recipient_id: uuid.UUID | None,
    *,
    reason: str | None = None,
    paid_on: dt.date | None = None,
) -> None:
    """The e-mail of a transition to `recipient_id`, in the caller's transaction (outbox)."""
    if recipient_id is None:
        return
    claimant = session.get(User, claim.claimant_id)
    notice = ClaimNotice(
        claim_id=claim.id,
        number=claim.number,
        title=claim.title,
        total=claim.total,
        claimant_name=claimant.display_name if claimant else "",
        reason=reason,
        paid_on=paid_on,
    )
    notify_user(session, user_id=recipient_id, kind=kind, notice=notice)


def refresh_total(session: Session, claim: Claim) -> None:
    session.flush()
    total = session.exec(
        select(func.coalesce(func.sum(ClaimItem.amount), 0)).where(ClaimItem.claim_id == claim.id)
    ).one()
    claim.total = to_cents(Decimal(total))


def current_approver_ids(session: Session, claim: Claim) -> set[uuid.UUID]:
    """Who approved the claim in its current round (a rejection starts a new round)."""
    rows = session.exec(
        select(ClaimApproval.approver_id).where(
            ClaimApproval.claim_id == claim.id,
            ClaimApproval.round == claim.round,
            col(ClaimApproval.level) <= claim.approved_levels,
        )
    ).all()
    return set(rows)


def reset_route(claim: Claim) -> None:
    """Back to draft: the route is resolved again at the next submission."""
    claim.state = "draft"
    claim.required_levels = 0
    claim.approved_levels = 0
    claim.level1_approver_id = None
    claim.level2_approver_id = None
    claim.awaiting_approver_id = None
    claim.approved_at = None
