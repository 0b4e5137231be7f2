"""Who approves a claim: the claimant's manager, above the threshold also the manager's manager.

The route is fixed at submission, so a later change of the org chart never moves a claim that is
already waiting. Nobody on the route is the claimant, nobody appears twice, and inactive users
are passed over for the entity's fallback approver.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from app.auth.models import EmployeeProfile, User
from app.claims.errors import NoApprover
from app.claims.policy import PolicySettings


@dataclass(frozen=True)
class Route:
    approvers: tuple[uuid.UUID, ...]

    @property
    def levels(self) -> int:
        return len(self.approvers)

    def approver(self, level: int) -> uuid.UUID | None:
        return self.approvers[level - 1] if level <= len(self.approvers) else None


def resolve_route(
    session: Session, *, claimant_id: uuid.UUID, total: Decimal, policy: PolicySettings
) -> Route:
    """The approvers of each level, or 422 `no-approver` when a level has nobody eligible."""
    first = _eligible(session, _manager_of(session, claimant_id), claimant_id, ())
    first = first or _fallback(session, policy, claimant_id, ())
    if first is None:
        raise NoApprover(
            "The claimant has no manager and the entity names no fallback approver.",
            level=1,
        )
    if total <= policy.approval_threshold:
        return Route((first,))
    second = _eligible(session, _manager_of(session, first), claimant_id, (first,))
    second = second or _fallback(session, policy, claimant_id, (first,))
    if second is None:
        raise NoApprover(
            f"Claims above {policy.approval_threshold} need a second approver: the first "
            "approver has no manager and the entity names no other fallback approver.",
            level=2,
        )
    return Route((first, second))


def _manager_of(session: Session, user_id: uuid.UUID) -> uuid.UUID | None:
    profile = session.get(EmployeeProfile, user_id)
    return profile.manager_id if profile else None


def _fallback(
    session: Session,
    policy: PolicySettings,
    claimant_id: uuid.UUID,
    taken: tuple[uuid.UUID, ...],
) -> uuid.UUID | None:
    return _eligible(session, policy.fallback_approver_id, claimant_id, taken)


def _eligible(
    session: Session,
    candidate: uuid.UUID | None,
    claimant_id: uuid.UUID,
    taken: tuple[uuid.UUID, ...],
) -> uuid.UUID | None:
    if candidate is None or candidate == claimant_id or candidate in taken:
        return None
    user = session.get(User, candidate)
    return candidate if user is not None and user.is_active else None
