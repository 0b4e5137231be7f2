"""Counts of the work that awaits a user, each within the rows that user may see.

A read model above the domains (it writes nothing): it counts with the same visibility clauses
the domains' own lists use, so a count never promises a row its list would not show.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.visibility import visible_only
from app.claims.access import claim_visibility
from app.claims.models import Claim
from app.claims.substitutes import awaits_as_substitute
from app.invoices.models import Invoice, PaperVoucher


@dataclass(frozen=True)
class Workload:
    """What awaits the user; None where their roles give them no such list."""

    my_available_invoices: int
    my_drafts: int
    my_submitted: int
    my_to_be_paid: int
    awaiting_my_approval: int | None = None
    to_book: int | None = None
    to_pay: int | None = None
    unassigned_invoices: int | None = None
    originals_to_receive: int | None = None
    to_confirm_deduction: int | None = None


def workload(session: Session, principal: Principal) -> Workload:
    me = principal.id
    finance = principal.has_role(Role.FINANCE)
    return Workload(
        my_available_invoices=_invoices(
            session, principal, col(Invoice.owner_id) == me, col(Invoice.status) == "available"
        ),
        my_drafts=_claims(session, principal, _mine(principal), col(Claim.state) == "draft"),
        my_submitted=_claims(session, principal, _mine(principal), col(Claim.state) == "submitted"),
        my_to_be_paid=_claims(
            session, principal, _mine(principal), col(Claim.state).in_(("approved", "booked"))
        ),
        awaiting_my_approval=(
            _claims(session, principal, _awaiting(principal))
            if principal.has_role(Role.APPROVER)
            else None
        ),
        to_book=_claims(session, principal, col(Claim.state) == "approved") if finance else None,
        to_pay=_claims(session, principal, col(Claim.state) == "booked") if finance else None,
        unassigned_invoices=(
            _invoices(session, principal, col(Invoice.owner_id).is_(None)) if finance else None
        ),
        originals_to_receive=_originals(session, principal) if finance else None,
        to_confirm_deduction=(
            _invoices(
                session,
                principal,
                col(Invoice.status) == "booked",
                col(Invoice.deduction_confirmed_on).is_(None),
            )
            if finance
            else None
        ),
    )


def _mine(principal: Principal) -> ColumnElement[bool]:
    return col(Claim.claimant_id) == principal.id


def _awaiting(principal: Principal) -> ColumnElement[bool]:
    # As the inbox lists them: submitted, waiting for me or for whom I substitute today, and
    # never my own claim.
    return (
        (col(Claim.state) == "submitted")
        & (col(Claim.claimant_id) != principal.id)
        & ((col(Claim.awaiting_approver_id) == principal.id) | awaits_as_substitute(principal))
    )


def _count(session: Session, statement: SelectOfScalar[int]) -> int:
    return int(session.exec(statement).one())


def _claims(session: Session, principal: Principal, *where: ColumnElement[bool]) -> int:
    statement = select(func.count()).select_from(Claim).where(*where)
    clause = claim_visibility(principal)
    if clause is not None:
        statement = statement.where(clause)
    return _count(session, statement)


def _invoices(session: Session, principal: Principal, *where: ColumnElement[bool]) -> int:
    statement = select(func.count()).select_from(Invoice).where(*where)
    statement = visible_only(statement, principal, Invoice)
    return _count(session, statement)


def _originals(session: Session, principal: Principal) -> int:
    statement = (
        select(func.count())
        .select_from(PaperVoucher)
        .where(col(PaperVoucher.received_on).is_(None))
    )
    statement = visible_only(statement, principal, PaperVoucher)
    return _count(session, statement)
