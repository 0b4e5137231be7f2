"""Who sees whose objects (SPEC "Visibility"): own, reports', entity-wide, or everything."""

from __future__ import annotations

import uuid
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, SQLModel, col, select

from app.auth.models import EmployeeProfile, Role
from app.auth.principal import Principal
from app.problems import NotFound


class _Filterable(Protocol):
    def where(self, *clauses: Any) -> Self: ...


Statement = TypeVar("Statement", bound=_Filterable)
Row = TypeVar("Row", bound=SQLModel)


def visibility_clause(
    principal: Principal, owner_col: Any, entity_col: Any
) -> ColumnElement[bool] | None:
    """A WHERE clause limiting rows to what `principal` may see; None means everything (admins)."""
    if principal.is_admin:
        return None
    clauses: list[ColumnElement[bool]] = [owner_col == principal.id]
    if principal.has_role(Role.FINANCE, Role.AUDITOR) or principal.user.is_service:
        clauses.append(entity_col.in_(principal.entity_ids))
    if principal.has_role(Role.APPROVER):
        reports = select(EmployeeProfile.user_id).where(
            col(EmployeeProfile.manager_id) == principal.id
        )
        clauses.append(owner_col.in_(reports))
    return or_(*clauses)


def visible_only(statement: Statement, principal: Principal, model: Any) -> Statement:
    """`statement` kept to the rows of `model` (owner, entity) that `principal` may see."""
    clause = visibility_clause(principal, col(model.owner_id), col(model.entity_id))
    return statement if clause is None else statement.where(clause)


def get_visible(
    session: Session, principal: Principal, model: type[Row], row_id: uuid.UUID, missing: str
) -> Row:
    """The row `row_id` of `model` if `principal` may see it; NotFound saying `missing` if not."""
    table: Any = model
    statement = visible_only(select(model).where(col(table.id) == row_id), principal, model)
    row = session.exec(statement).first()
    if row is None:
        raise NotFound(missing)
    return row


def can_see(
    principal: Principal,
    owner_id: uuid.UUID | None,
    entity_id: uuid.UUID,
    manager_ids: set[uuid.UUID],
) -> bool:
    """The same rule for one loaded object; `manager_ids` are the owner's managers."""
    if principal.is_admin or (owner_id is not None and owner_id == principal.id):
        return True
    entity_wide = principal.has_role(Role.FINANCE, Role.AUDITOR) or principal.user.is_service
    if entity_wide and entity_id in principal.entity_ids:
        return True
    return principal.has_role(Role.APPROVER) and principal.id in manager_ids
