"""Presenting approval substitutes: who stands in for whom, when, and who may be named.

The offered names are a convenience (active approvers who share an entity with the approver);
whether one is eligible is the substitute service's rule, and its refusal is shown on the form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.schemas import UserOut
from app.claims.schemas import SubstituteOut


@dataclass(frozen=True)
class SubstituteRow:
    substitute: SubstituteOut
    approver: str
    stands_in: str
    phase: str  # upcoming | active | ended
    mine: bool  # the approver (or an admin) may end it

    @property
    def phase_label(self) -> str:
        return {"upcoming": "未开始", "active": "生效中", "ended": "已结束"}[self.phase]


def substitute_rows(
    substitutes: list[SubstituteOut], users: list[UserOut], principal: Principal, today: dt.date
) -> list[SubstituteRow]:
    names = {u.id: f"{u.display_name} ({u.username})" for u in users}
    return [
        SubstituteRow(
            substitute=s,
            approver=names.get(s.approver, str(s.approver)),
            stands_in=names.get(s.substitute, str(s.substitute)),
            phase="upcoming"
            if today < s.starts_on
            else ("ended" if today > s.ends_on else "active"),
            mine=principal.is_admin or s.approver == principal.id,
        )
        for s in substitutes
    ]


def approvers(users: list[UserOut]) -> list[UserOut]:
    return [u for u in users if u.is_active and Role.APPROVER.value in u.roles]


def candidates(users: list[UserOut], principal: Principal) -> list[UserOut]:
    """Active approvers other than me in an entity of mine (all of them for an admin)."""
    return [
        u
        for u in approvers(users)
        if u.id != principal.id
        and (principal.is_admin or set(u.entity_ids) & set(principal.entity_ids))
    ]


def default_range(today: dt.date) -> dict[str, str]:
    return {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=7)).isoformat()}
