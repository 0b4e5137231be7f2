"""Who sees and who may act on a claim (SPEC "Visibility"); out of sight answers 404."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from app.auth.models import EmployeeProfile, Role
from app.auth.principal import Principal
from app.claims.errors import InvalidState
from app.claims.models import Claim, ClaimApproval
from app.claims.substitutes import awaits_as_substitute
from app.problems import Forbidden, NotFound


def claim_visibility(principal: Principal) -> ColumnElement[bool] | None:
    """Claimant; approvers of their reports, of the route and whom they substitute today;
    finance and auditors entity-wide; admins everything (None)."""
    if principal.is_admin:
        return None
    me = principal.id
    clauses: list[ColumnElement[bool]] = [
        col(Claim.claimant_id) == me,
        col(Claim.level1_approver_id) == me,
        col(Claim.level2_approver_id) == me,
        awaits_as_substitute(principal),
        col(Claim.id).in_(select(ClaimApproval.claim_id).where(ClaimApproval.approver_id == me)),
    ]
    if principal.has_role(Role.FINANCE, Role.AUDITOR) or principal.user.is_service:
        clauses.append(col(Claim.entity_id).in_(principal.entity_ids))
    if principal.has_role(Role.APPROVER):
        reports = select(EmployeeProfile.user_id).where(EmployeeProfile.manager_id == me)
        clauses.append(col(Claim.claimant_id).in_(reports))
    return or_(*clauses)


def get_visible_claim(
    session: Session, principal: Principal, claim_id: uuid.UUID, *, for_update: bool = False
) -> Claim:
    """The claim if `principal` may see it; `for_update` locks its row (PostgreSQL) so that
    transitions of one claim run one after the other."""
    statement = select(Claim).where(Claim.id == claim_id)
    clause = claim_visibility(principal)
    if clause is not None:
        statement = statement.where(clause)
    if for_update:
        statement = statement.with_for_update(of=Claim)
    claim = session.exec(statement.execution_options(populate_existing=True)).first()
    if claim is None:
        raise NotFound("No such claim.")
    return claim


def require_claimant(principal: Principal, claim: Claim, action: str) -> None:
    if claim.claimant_id != principal.id:
        raise Forbidden(f"Only the claimant may {action} this claim.")


def require_state(claim: Claim, action: str, *states: str) -> None:
    if claim.state not in states:
        raise InvalidState(
            f"{_article(claim.state)} {claim.state} claim cannot be {action}; "
            f"allowed from: {', '.join(states)}.",
            state=claim.state,
        )


def is_entity_finance(principal: Principal, claim: Claim) -> bool:
    return principal.has_role(Role.FINANCE) and claim.entity_id in principal.entity_ids


def _article(word: str) -> str:
    return "An" if word[:1] in "aeiou" else "A"
