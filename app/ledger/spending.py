"""Booked spending for the dashboards: totals by accounting period and by the claimant's department.

Spending is what the ledger holds: booking vouchers, minus those a 红字 reversal cancelled, in the
entities the caller works for (admins: all). Sums run in the database, one query per chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.auth.models import EmployeeProfile
from app.auth.principal import Principal
from app.claims.models import Claim
from app.ledger.models import JournalVoucher


@dataclass(frozen=True)
class Spent:
    """One bar of a chart: a period (YYYY-MM) or a department (None: not recorded)."""

    key: str | None
    amount: Decimal
    claims: int


def recent_periods(today: dt.date, months: int) -> list[str]:
    """The `months` accounting periods up to today's, oldest first."""
    year, month = today.year, today.month
    periods = []
    for _ in range(months):
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return periods[::-1]


def spending_by_period(session: Session, principal: Principal, periods: list[str]) -> list[Spent]:
    """Each of `periods` with its booked total, zero where nothing was booked."""
    rows = session.exec(
        select(
            JournalVoucher.period,
            func.sum(JournalVoucher.total),
            func.count(col(JournalVoucher.claim_id).distinct()),
        )
        .where(_standing_bookings(principal), col(JournalVoucher.period).in_(periods))
        .group_by(col(JournalVoucher.period))
    ).all()
    found = {period: (Decimal(total or 0), count) for period, total, count in rows}
    return [Spent(p, *found.get(p, (Decimal("0.00"), 0))) for p in periods]


def spending_by_department(
    session: Session, principal: Principal, periods: list[str]
) -> list[Spent]:
    """Departments by booked total over `periods`, largest first."""
    department = EmployeeProfile.department
    rows = session.exec(
        select(
            department,
            func.sum(JournalVoucher.total),
            func.count(col(JournalVoucher.claim_id).distinct()),
        )
        .select_from(JournalVoucher)
        .join(Claim, col(Claim.id) == col(JournalVoucher.claim_id))
        .outerjoin(EmployeeProfile, col(EmployeeProfile.user_id) == col(Claim.claimant_id))
        .where(_standing_bookings(principal), col(JournalVoucher.period).in_(periods))
        .group_by(department)
    ).all()
    spent = [Spent(name or None, Decimal(total or 0), count) for name, total, count in rows]
    return sorted(spent, key=lambda s: (-s.amount, s.key or ""))


def _standing_bookings(principal: Principal) -> ColumnElement[bool]:
    reversal = aliased(JournalVoucher)
    clauses = [
        col(JournalVoucher.kind) == "booking",
        ~exists().where(col(reversal.reverses_id) == col(JournalVoucher.id)),
    ]
    if not principal.is_admin:
        clauses.append(col(JournalVoucher.entity_id).in_(principal.entity_ids))
    return and_(*clauses)
