"""Who approves a claim: the claimant's manager, above the threshold also the manager's manager.

The route is fixed at submission, so a later change of the org chart never moves a claim that is
already waiting. Nobody on the route is the claimant, nobody appears twice, and whoever is not an
active approver of the claim's entity is passed over for the entity's fallback approver.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from app.auth.models import EmployeeProfile, Role, User, UserEntity
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
    session: Session,
    *,
    claimant_id: uuid.UUID,
    entity_id: uuid.UUID,
    total: Decimal,
    policy: PolicySettings,
) -> Route:
    """The approvers of each level, or 422 `no-approver` when a level has nobody eligible."""
    eligible = _Eligibility(session, entity_id, claimant_id)
    first = eligible.manager(_manager_of(session, claimant_id), ())
    first = first or eligible.fallback(policy.fallback_approver_id, ())
    if first is None:
        raise NoApprover(
            "The claimant has no manager and the entity names no fallback approver.",
            level=1,
        )
    if total <= policy.approval_threshold:
        return Route((first,))
    second = eligible.manager(_manager_of(session, first), (first,))
    second = second or eligible.fallback(policy.fallback_approver_id, (first,))
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


@dataclass(frozen=True)
class _Eligibility:
    """Who may stand on a claim's route: never the claimant, nobody twice, only active users.

    A manager named in a profile must also be an approver of the claim's entity (an
    employee-only manager, or one of another entity, is passed over, as reassigning to them is
    refused); the fallback approver is the one the entity's policy names for it."""

    session: Session
    entity_id: uuid.UUID
    claimant_id: uuid.UUID

    def manager(
        self, candidate: uuid.UUID | None, taken: tuple[uuid.UUID, ...]
    ) -> uuid.UUID | None:
        user = self._active(candidate, taken)
        if user is None or not user.has_role(Role.APPROVER):
            return None
        member = self.session.get(UserEntity, (user.id, self.entity_id))
        return user.id if member is not None else None

    def fallback(
        self, candidate: uuid.UUID | None, taken: tuple[uuid.UUID, ...]
    ) -> uuid.UUID | None:
        user = self._active(candidate, taken)
        return user.id if user is not None else None

    def _active(self, candidate: uuid.UUID | None, taken: tuple[uuid.UUID, ...]) -> User | None:
        if candidate is None or candidate == self.claimant_id or candidate in taken:
            return None
        user = self.session.get(User, candidate)
        return user if user is not None and user.is_active else None
