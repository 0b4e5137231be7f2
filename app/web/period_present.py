"""Presenting accounting periods: each month's state, counts and what this user may do with it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.auth.models import Role
from app.auth.principal import Principal
from app.ledger.schemas import PeriodOut

STATE_LABELS = {"open": "开放", "closed": "已结账"}


@dataclass(frozen=True)
class PeriodRow:
    period: PeriodOut
    closed_by: str
    # Closing is finance's (the API's rule); reopening the admins'. Future months stay as they
    # are: nothing can be booked into them yet, so there is nothing to close.
    may_close: bool
    may_reopen: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.period.status, self.period.status)


def period_rows(
    periods: list[PeriodOut], principal: Principal, names: dict[uuid.UUID, str], current: str
) -> list[PeriodRow]:
    finance, admin = principal.has_role(Role.FINANCE), principal.has_role(Role.ADMIN)
    return [
        PeriodRow(
            period=p,
            closed_by=names.get(p.closed_by, "—") if p.closed_by else "—",
            may_close=finance and p.status == "open" and p.period <= current,
            may_reopen=admin and p.status == "closed",
        )
        for p in periods
    ]
