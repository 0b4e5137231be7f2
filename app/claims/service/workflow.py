"""The approval workflow: submit, withdraw, approve and reject (SPEC "Claims").

Every command locks the claim's row first, so concurrent transitions of one claim serialize and
each sees the state the previous one left.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app.auth.actor import Actor
from app.claims.access import (
    get_visible_claim,
    is_entity_finance,
    require_state,
)
from app.claims.errors import (
    BlockingFindings,
    InvalidState,
    SelfApproval,
    WarningsNotAcknowledged,
)
from app.claims.facts import findings_of, policy_of
from app.claims.models import Claim, ClaimApproval
from app.claims.policy import blocking, warnings
from app.claims.routing import resolve_route
from app.claims.schemas import ApproveBody, ClaimOut
from app.claims.service.common import (
    current_approver_ids,
    notify_claim,
    own_claim,
    publish,
    record_transition,
    reset_route,
)
from app.claims.substitutes import may_act_for
from app.claims.views import claim_out
from app.db import utcnow
from app.kit.dates import business_today
from app.problems import Forbidden


def submit_claim(
    session: Session, actor: Actor, claim_id: uuid.UUID, comment: str | None
) -> ClaimOut:
    claim = own_claim(session, actor, claim_id, "submit", "submitted", "draft")
    blockers = blocking(findings_of(session, claim, submission_date=business_today()))
    if blockers:
        raise BlockingFindings(blockers)
    route = resolve_route(
        session,
        claimant_id=claim.claimant_id,
        entity_id=claim.entity_id,
        total=claim.total,
        policy=policy_of(session, claim),
    )
    claim.state = "submitted"
    claim.round += 1
    claim.required_levels = route.levels
    claim.approved_levels = 0
    claim.level1_approver_id = route.approver(1)
    claim.level2_approver_id = route.approver(2)
    claim.awaiting_approver_id = route.approver(1)
    claim.submitted_at = utcnow()
    record_transition(
        session, actor, claim, "submitted", comment=comment, details={"round": claim.round}
    )
    publish(session, claim, "claim.submitted", approver=claim.awaiting_approver_id)
    notify_claim(session, claim, "claim.awaiting", claim.awaiting_approver_id)
    session.commit()
    return claim_out(session, claim)


def withdraw_claim(
    session: Session, actor: Actor, claim_id: uuid.UUID, comment: str | None
) -> ClaimOut:
    """The claimant takes a submitted claim back, as long as nobody has approved it yet."""
    claim = own_claim(session, actor, claim_id, "withdraw", "withdrawn", "submitted")
    if claim.approved_levels > 0:
        raise InvalidState(
            "The claim has a first approval: only an approver or finance can return it now.",
            state=claim.state,
        )
    reset_route(claim)
    record_transition(session, actor, claim, "withdrawn", comment=comment)
    session.commit()
    return claim_out(session, claim)


def approve_claim(
    session: Session, actor: Actor, claim_id: uuid.UUID, body: ApproveBody
) -> ClaimOut:
    """One level's approval; the last level makes the claim `approved`."""
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_state(claim, "approved", "submitted")
    on_behalf_of = _deciding_for(session, actor, claim)
    findings = findings_of(session, claim)
    blockers = blocking(findings)
    if blockers:
        raise BlockingFindings(blockers)
    warned = warnings(findings)
    if warned and not body.acknowledge_warnings:
        raise WarningsNotAcknowledged(warned)
    approval = ClaimApproval(
        claim_id=claim.id,
        round=claim.round,
        level=claim.approved_levels + 1,
        approver_id=actor.id,
        on_behalf_of_id=on_behalf_of,
        comment=body.comment,
        acknowledged_warnings=[
            {"code": f.code, "item_id": str(f.item_id) if f.item_id else None} for f in warned
        ],
    )
    session.add(approval)
    _advance(claim, approval.level)
    _record_approval(session, actor, claim, approval)
    session.commit()
    return claim_out(session, claim)


def reject_claim(session: Session, actor: Actor, claim_id: uuid.UUID, reason: str) -> ClaimOut:
    """The awaited approver (before approval) or finance (before booking) returns it to draft."""
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_state(claim, "rejected", "submitted", "approved")
    if claim.claimant_id == actor.id:
        raise Forbidden("Claimants withdraw their own claims; they do not reject them.")
    if not (is_entity_finance(actor.principal, claim) or _is_awaited(session, actor, claim)):
        raise Forbidden("Only the awaited approver or the entity's finance may reject it.")
    previous = claim.state
    reset_route(claim)
    claim.last_rejection_reason = reason
    claim.last_rejected_by_id = actor.id
    claim.last_rejected_at = utcnow()
    record_transition(session, actor, claim, "rejected", comment=reason, details={"from": previous})
    publish(session, claim, "claim.rejected", reason=reason, rejected_by=actor.id)
    notify_claim(session, claim, "claim.rejected", claim.claimant_id, reason=reason)
    session.commit()
    return claim_out(session, claim)


def _deciding_for(session: Session, actor: Actor, claim: Claim) -> uuid.UUID | None:
    """Checks `actor` may approve now; the designated approver's id when deciding as substitute."""
    if claim.claimant_id == actor.id:
        raise SelfApproval("Nobody approves their own claim.")
    if not _is_awaited(session, actor, claim):
        raise Forbidden("This claim does not await your approval.")
    if actor.id in current_approver_ids(session, claim):
        raise Forbidden("You approved an earlier level; another person approves the next one.")
    return None if actor.id == claim.awaiting_approver_id else claim.awaiting_approver_id


def _is_awaited(session: Session, actor: Actor, claim: Claim) -> bool:
    designated = claim.awaiting_approver_id
    if claim.state != "submitted" or designated is None:
        return False
    return actor.id == designated or may_act_for(session, actor.principal, claim, designated)


def _record_approval(session: Session, actor: Actor, claim: Claim, approval: ClaimApproval) -> None:
    details = {
        "level": approval.level,
        "round": approval.round,
        "on_behalf_of": str(approval.on_behalf_of_id) if approval.on_behalf_of_id else None,
        "acknowledged": [w["code"] for w in approval.acknowledged_warnings],
    }
    record_transition(session, actor, claim, "approved", comment=approval.comment, details=details)
    if claim.state == "approved":
        approvers = sorted(str(a) for a in current_approver_ids(session, claim))
        publish(session, claim, "claim.approved", approvers=approvers)
        notify_claim(session, claim, "claim.approved", claim.claimant_id)
    else:  # the next level's approver is up now
        notify_claim(session, claim, "claim.awaiting", claim.awaiting_approver_id)


def _advance(claim: Claim, level: int) -> None:
    claim.approved_levels = level
    if level >= claim.required_levels:
        claim.state = "approved"
        claim.awaiting_approver_id = None
        claim.approved_at = utcnow()
    else:
        claim.awaiting_approver_id = claim.level2_approver_id
