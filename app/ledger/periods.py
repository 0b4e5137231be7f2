"""Accounting periods, opened on first use, and gap-free voucher numbers per entity and month."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.db import insert_ignore, utcnow
from app.kit.dates import MONTH_PATTERN, business_today
from app.ledger.errors import PeriodClosed
from app.ledger.models import Period
from app.problems import ValidationProblem

# Railway e-invoices, and with them the transition's paper vouchers, began on 2024-11-01: no
# claim railclaim holds can be booked or paid earlier. The floor also keeps a backdated voucher
# from an archive retention that has already run out (retention counts from the voucher's year).
FIRST_POSTING_DAY = dt.date(2024, 11, 1)

# fullmatch, not match: `$` would let a trailing newline through.
_PERIOD = re.compile(MONTH_PATTERN.removeprefix("^").removesuffix("$"))


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def check_period_text(period: str) -> str:
    if not _PERIOD.fullmatch(period):
        raise ValidationProblem(
            "period", "a month as YYYY-MM, 1900-01 to 2999-12", code="month_format"
        )
    return period


def ensure_period(session: Session, entity_id: uuid.UUID, period: str) -> Period:
    insert_ignore(
        session,
        Period,
        {
            "entity_id": entity_id,
            "period": period,
            "status": "open",
            "last_number": 0,
            "updated_at": utcnow(),
        },
    )
    return session.exec(
        select(Period).where(Period.entity_id == entity_id, Period.period == period)
    ).one()


def last_posting_day() -> dt.date:
    """The latest date a posting may carry: the end of next year. A date further on is a typo
    (2062 for 2026), which would post and archive a voucher decades ahead and open every
    period up to it."""
    return dt.date(business_today().year + 1, 12, 31)


def refuse_outside_posting_days(field: str, day: dt.date) -> None:
    if day < FIRST_POSTING_DAY:
        raise ValidationProblem(
            field, f"not before {FIRST_POSTING_DAY}, when railway e-invoices began"
        )
    if day > (last := last_posting_day()):
        raise ValidationProblem(field, f"not after {last}: a posting is dated at most next year")


def refuse_closed_period(session: Session, entity_id: uuid.UUID, day: dt.date) -> None:
    """Refuses early, without a lock, a posting into a period already closed, before anything is
    prepared for it; taking the number checks again under the lock, which is what counts."""
    period = period_of(day)
    status = session.exec(
        select(Period.status).where(Period.entity_id == entity_id, Period.period == period)
    ).first()
    if status == "closed":
        raise _closed_for_posting(period)


def hold_open_periods(session: Session, entity_id: uuid.UUID, days: list[dt.date]) -> None:
    """Refuses a change filed under the periods of `days` unless they are open, and keeps them
    open until the caller commits: their rows stay locked (on PostgreSQL; SQLite's write lock,
    taken at BEGIN, does the same), so a close waits for the change and sees it done.

    Locked in month order, so two changes over the same months cannot deadlock."""
    for period in sorted({period_of(day) for day in days}):
        ensure_period(session, entity_id, period)
        status = session.exec(
            select(Period.status)
            .where(Period.entity_id == entity_id, Period.period == period)
            .with_for_update()
        ).one()
        if status == "closed":
            raise PeriodClosed(
                f"The period {period} is closed; its postings and 用途确认 are final.",
                period=period,
            )


def next_voucher_number(session: Session, entity_id: uuid.UUID, period: str) -> int:
    """Takes the next number under the period row's lock, so numbers have no gaps or repeats.

    The increment commits or rolls back with the voucher that uses it; concurrent bookings of
    one entity and month queue on the row (PostgreSQL) or the write lock (SQLite).
    """
    ensure_period(session, entity_id, period)
    taken = session.execute(
        update(Period)
        .where(
            col(Period.entity_id) == entity_id,
            col(Period.period) == period,
            col(Period.status) == "open",
        )
        .values(last_number=col(Period.last_number) + 1, updated_at=utcnow())
        .returning(col(Period.last_number))
    ).scalar_one_or_none()
    if taken is None:
        raise _closed_for_posting(period)
    return int(taken)


def _closed_for_posting(period: str) -> PeriodClosed:
    return PeriodClosed(f"The period {period} is closed; post into an open period.", period=period)


def voucher_number_text(period: str, number: int) -> str:
    return f"记-{period}-{number:04d}"
