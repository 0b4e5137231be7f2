"""Display names and departments of users by id, for pages that show who acted or claims."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.auth.models import EmployeeProfile, User


def display_names(session: Session, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(wanted))).all()
    return dict(rows)


def department_of(session: Session, user_id: uuid.UUID) -> str | None:
    """The department on the user's employee profile (what their vouchers' lines carry)."""
    return session.exec(
        select(EmployeeProfile.department).where(EmployeeProfile.user_id == user_id)
    ).first()
