"""The months a periods page lists: every month from an entity's first voucher or claim to now.

Period rows exist only for months someone booked in or closed; a clerk closing the books needs
the months in between too (an empty month is closed like any other), so they are filled in as
open with no vouchers. An entity with no history yet shows the last twelve months.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Session, col, func, select

from app.auth.principal import Principal
from app.claims.models import Claim
from app.kit.dates import business_date
from app.ledger.models import JournalVoucher
from app.ledger.periods import period_of
from app.ledger.queries import list_periods, resolve_entity
from app.ledger.schemas import PeriodOut

EMPTY_HISTORY_MONTHS = 12


def period_calendar(
    session: Session, principal: Principal, entity: uuid.UUID | None, *, today: dt.date
) -> list[PeriodOut]:
    """Newest first: each month from the first of the entity's history up to this month."""
    entity_id = resolve_entity(principal, entity)
    known = {p.period: p for p in list_periods(session, principal, entity_id)}
    current = period_of(today)
    first = _first_month(session, entity_id, known) or _months_back(current, EMPTY_HISTORY_MONTHS)
    last = max([current, *known])
    return [
        known.get(month)
        or PeriodOut(
            entity=entity_id,
            period=month,
            status="open",
            vouchers=0,
            closed_at=None,
            closed_by=None,
        )
        for month in _months(first, last)
    ]


def _first_month(session: Session, entity_id: uuid.UUID, known: dict[str, PeriodOut]) -> str | None:
    first_voucher = session.exec(
        select(func.min(JournalVoucher.period)).where(JournalVoucher.entity_id == entity_id)
    ).one()
    first_claim_at = session.exec(
        select(func.min(col(Claim.created_at))).where(Claim.entity_id == entity_id)
    ).one()
    candidates = [*known, *([first_voucher] if first_voucher else [])]
    if first_claim_at is not None:
        candidates.append(period_of(business_date(_aware(first_claim_at))))
    return min(candidates) if candidates else None


def _aware(moment: dt.datetime) -> dt.datetime:
    # An aggregate's result may come back without the column's UTC decoration on SQLite.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _months_back(period: str, count: int) -> str:
    """The month `count - 1` months before `period`, so that `count` months end with it."""
    index = _index(period) - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _index(period: str) -> int:
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def _months(first: str, last: str) -> list[str]:
    """Every YYYY-MM from `last` back to `first`, newest first."""
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(_index(last), _index(first) - 1, -1)]
