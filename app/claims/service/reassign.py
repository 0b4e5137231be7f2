"""Reassigning a level of a submitted claim's route, e.g. away from a deactivated approver."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.models import Role, User, UserEntity
from app.claims.access import get_visible_claim, require_state
from app.claims.schemas import ClaimOut
from app.claims.service.common import (
    current_approver_ids,
    notify_claim,
    record_transition,
)
from app.claims.views import claim_out
from app.problems import Forbidden, ValidationProblem


def reassign_approver(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    approver_id: uuid.UUID,
    level: int | None = None,
) -> ClaimOut:
    """Admins name another approver for a level not yet approved (default: the awaited one).

    The new approver is an active approver of the claim's entity, not the claimant, and not
    someone who already approved this round or holds the route's other level."""
    if not actor.principal.is_admin:
        raise Forbidden("Only admins reassign approvals.")
    claim = get_visible_claim(session, actor.principal, claim_id, for_update=True)
    require_state(claim, "reassigned", "submitted")
    target = level or claim.approved_levels + 1
    if not claim.approved_levels < target <= claim.required_levels:
        raise ValidationProblem(
            "level",
            "not a level of this claim that still awaits approval",
            code="level_not_pending",
        )
    _check_approver(session, claim.entity_id, claim.claimant_id, approver_id)
    other = claim.level2_approver_id if target == 1 else claim.level1_approver_id
    if approver_id == other or approver_id in current_approver_ids(session, claim):
        raise ValidationProblem(
            "approver_id",
            "already approves another level of this claim",
            code="approves_other_level",
        )
    previous = claim.level1_approver_id if target == 1 else claim.level2_approver_id
    if target == 1:
        claim.level1_approver_id = approver_id
    else:
        claim.level2_approver_id = approver_id
    awaited_now = target == claim.approved_levels + 1
    if awaited_now:
        claim.awaiting_approver_id = approver_id
    details = {
        "level": target,
        "from": str(previous) if previous else None,
        "to": str(approver_id),
    }
    record_transition(session, actor, claim, "reassigned", details=details)
    if awaited_now:
        notify_claim(session, claim, "claim.awaiting", approver_id)
    session.commit()
    return claim_out(session, claim)


def _check_approver(
    session: Session, entity_id: uuid.UUID, claimant_id: uuid.UUID, approver_id: uuid.UUID
) -> None:
    user = session.get(User, approver_id)
    member = session.get(UserEntity, (approver_id, entity_id))
    if user is None or not user.is_active or not user.has_role(Role.APPROVER) or member is None:
        raise ValidationProblem(
            "approver_id",
            "no active approver of the claim's legal entity has this id",
            code="not_entity_approver",
        )
    if approver_id == claimant_id:
        raise ValidationProblem("approver_id", "nobody approves their own claim", code="own_claim")
