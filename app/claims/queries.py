"""Reading claims within the caller's sight: one claim, and a filtered page of them."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select

from app.auth.models import User
from app.auth.principal import Principal
from app.claims.access import claim_visibility, get_visible_claim
from app.claims.models import Claim
from app.claims.schemas import ClaimOut
from app.claims.substitutes import awaits_as_substitute
from app.claims.views import ClaimVouchers, claim_out, claims_out
from app.kit.pagination import paginate_table
from app.problems import Forbidden

# Whose decision the listed claims wait for: the caller's, or a deactivated approver's.
Awaiting = Literal["me", "inactive"]


def read_claim(
    session: Session, principal: Principal, claim_id: uuid.UUID, *, vouchers: ClaimVouchers
) -> ClaimOut:
    return claim_out(session, get_visible_claim(session, principal, claim_id), vouchers)


def list_claims(
    session: Session,
    principal: Principal,
    *,
    state: str | None,
    cursor: str | None,
    limit: int,
    vouchers: ClaimVouchers,
    awaiting: Awaiting | None = None,
) -> tuple[list[ClaimOut], str | None]:
    """Newest first; awaiting `me` keeps the submitted claims waiting for the caller's decision,
    as the designated approver or as today's substitute; `inactive` (admins) those whose route
    names a deactivated user at a level still to approve, for reassignment."""
    statement = select(Claim)
    clause = claim_visibility(principal)
    if clause is not None:
        statement = statement.where(clause)
    if state is not None:
        statement = statement.where(Claim.state == state)
    if awaiting == "me":
        statement = statement.where(_awaiting(principal))
    if awaiting == "inactive":
        if not principal.is_admin:
            raise Forbidden("Only admins list the claims waiting for deactivated approvers.")
        statement = statement.where(waiting_for_inactive())
    rows, next_cursor = paginate_table(session, statement, Claim, cursor=cursor, limit=limit)
    return claims_out(session, rows, vouchers), next_cursor


def waiting_for_inactive() -> ColumnElement[bool]:
    """Submitted claims whose awaited or still-to-come approver is deactivated."""
    inactive = select(User.id).where(col(User.is_active).is_(False))
    return and_(
        col(Claim.state) == "submitted",
        or_(
            col(Claim.awaiting_approver_id).in_(inactive),
            and_(
                col(Claim.approved_levels) < 2,
                col(Claim.required_levels) == 2,
                col(Claim.level2_approver_id).in_(inactive),
            ),
        ),
    )


def count_waiting_for(session: Session, approver_id: uuid.UUID) -> int:
    """Submitted claims whose route names `approver_id` at a level still to approve: what a
    deactivation of that user leaves for an admin to reassign."""
    waits = and_(
        col(Claim.state) == "submitted",
        or_(
            col(Claim.awaiting_approver_id) == approver_id,
            and_(
                col(Claim.approved_levels) < 2,
                col(Claim.required_levels) == 2,
                col(Claim.level2_approver_id) == approver_id,
            ),
        ),
    )
    return int(session.exec(select(func.count()).select_from(Claim).where(waits)).one())


def _awaiting(principal: Principal) -> ColumnElement[bool]:
    return and_(
        col(Claim.state) == "submitted",
        # A substitute never decides their own claim, so it does not wait for them.
        col(Claim.claimant_id) != principal.id,
        or_(col(Claim.awaiting_approver_id) == principal.id, awaits_as_substitute(principal)),
    )
