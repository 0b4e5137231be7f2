"""Display names of users by id, for pages that show who acted (claims, vouchers, audit)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.auth.models import User


def display_names(session: Session, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(col(User.id).in_(wanted))).all()
    return dict(rows)
