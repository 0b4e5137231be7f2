"""Approval substitutes: who may decide for an approver on which business dates (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit.service import AuditedObject, EventRecorder
from app.auth.models import Role, User, UserEntity
from app.auth.principal import Principal
from app.claims.models import ApprovalSubstitute, Claim
from app.claims.schemas import SubstituteCreate, SubstituteOut
from app.kit.dates import business_today
from app.kit.pagination import paginate_table
from app.problems import Forbidden, NotFound, ValidationProblem


def approvers_represented_by(substitute_id: uuid.UUID, on: dt.date) -> SelectOfScalar[uuid.UUID]:
    """The approvers `substitute_id` stands in for on business date `on`, as a subquery."""
    return select(ApprovalSubstitute.approver_id).where(
        ApprovalSubstitute.substitute_id == substitute_id,
        col(ApprovalSubstitute.starts_on) <= on,
        col(ApprovalSubstitute.ends_on) >= on,
    )


def awaits_as_substitute(principal: Principal) -> ColumnElement[bool]:
    """Claims waiting for an approver `principal` stands in for today, in an entity of theirs.

    A substitute decides only where they work: naming one checks that, and this keeps it true
    when an approver later joins another entity (SPEC "Hardening rules")."""
    return and_(
        col(Claim.awaiting_approver_id).in_(
            approvers_represented_by(principal.id, business_today())
        ),
        col(Claim.entity_id).in_(principal.entity_ids),
    )


def may_act_for(session: Session, actor: Principal, claim: Claim, approver_id: uuid.UUID) -> bool:
    if claim.entity_id not in actor.entity_ids:
        return False
    statement = approvers_represented_by(actor.id, business_today()).where(
        ApprovalSubstitute.approver_id == approver_id
    )
    return session.exec(statement.limit(1)).first() is not None


def create_substitute(
    session: Session, principal: Principal, data: SubstituteCreate, *, audit_key: bytes
) -> SubstituteOut:
    approver_id = data.approver_id or principal.id
    if approver_id != principal.id and not principal.is_admin:
        raise Forbidden("You name substitutes for yourself; admins may name anyone's.")
    if data.substitute_id == approver_id:
        raise ValidationProblem(
            "substitute_id",
            "an approver does not substitute for themselves",
            code="substitute_is_approver",
        )
    for field, user_id in (("approver_id", approver_id), ("substitute_id", data.substitute_id)):
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise ValidationProblem(field, "no active user has this id", code="inactive_user")
    _require_eligible_substitute(session, approver_id, data.substitute_id)
    row = ApprovalSubstitute(
        approver_id=approver_id,
        substitute_id=data.substitute_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by_id=principal.id,
    )
    session.add(row)
    _audit(session, principal, row, "approval-substitute.created", audit_key)
    session.commit()
    return substitute_out(row)


def _require_eligible_substitute(
    session: Session, approver_id: uuid.UUID, substitute_id: uuid.UUID
) -> None:
    """An approver of every legal entity the approver works for, or 422."""
    substitute = session.get(User, substitute_id)
    if substitute is None or not substitute.has_role(Role.APPROVER):
        raise ValidationProblem(
            "substitute_id",
            "a substitute must have the approver role",
            code="substitute_not_approver",
        )
    missing = _entities_of(session, approver_id) - _entities_of(session, substitute_id)
    if missing:
        raise ValidationProblem(
            "substitute_id",
            "a substitute must work for every legal entity of the approver",
            code="substitute_outside_entities",
        )


def _entities_of(session: Session, user_id: uuid.UUID) -> set[uuid.UUID]:
    statement = select(UserEntity.entity_id).where(UserEntity.user_id == user_id)
    return set(session.exec(statement).all())


def delete_substitute(
    session: Session, principal: Principal, substitute_row_id: uuid.UUID, *, audit_key: bytes
) -> None:
    row = session.get(ApprovalSubstitute, substitute_row_id, with_for_update=True)
    if row is None or not (principal.is_admin or row.approver_id == principal.id):
        raise NotFound("No such substitute of yours.")
    _audit(session, principal, row, "approval-substitute.deleted", audit_key)
    session.delete(row)
    session.commit()


def list_substitutes(
    session: Session, principal: Principal, *, cursor: str | None, limit: int
) -> tuple[list[SubstituteOut], str | None]:
    """Admins see all; others the substitutes they named and those naming them."""
    statement = select(ApprovalSubstitute)
    if not principal.is_admin:
        statement = statement.where(
            or_(
                col(ApprovalSubstitute.approver_id) == principal.id,
                col(ApprovalSubstitute.substitute_id) == principal.id,
            )
        )
    rows, next_cursor = paginate_table(
        session, statement, ApprovalSubstitute, cursor=cursor, limit=limit
    )
    return [substitute_out(r) for r in rows], next_cursor


def substitute_out(row: ApprovalSubstitute) -> SubstituteOut:
    today = business_today()
    return SubstituteOut(
        id=row.id,
        approver=row.approver_id,
        substitute=row.substitute_id,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        active=row.starts_on <= today <= row.ends_on,
        created_by=row.created_by_id,
        created_at=row.created_at,
    )


def _audit(
    session: Session, principal: Principal, row: ApprovalSubstitute, action: str, key: bytes
) -> None:
    EventRecorder(principal.user, key).record(
        session,
        action,
        AuditedObject("approval_substitute", row.id),
        details={
            "approver_id": str(row.approver_id),
            "substitute_id": str(row.substitute_id),
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat(),
        },
    )
