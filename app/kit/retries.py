"""What the two outboxes (webhooks, e-mail) share: the backoff, the lease of an attempt and the
pass that sends one leased row after the other."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel

_FACTOR = 4

Values = dict[str, object]
Job = TypeVar("Job")
Outcome = TypeVar("Outcome")


@dataclass(frozen=True)
class Backoff:
    """Waits ×4 from `base_seconds`, capped at `cap_seconds`; gives up after `max_attempts`."""

    max_attempts: int
    base_seconds: float
    cap_seconds: float

    def delay_after(self, attempts: int) -> dt.timedelta:
        """The wait after the `attempts`-th failed attempt (1-based)."""
        exponent = min(max(attempts - 1, 0), 32)  # bounded: no float overflow, the cap wins
        return dt.timedelta(seconds=min(self.base_seconds * _FACTOR**exponent, self.cap_seconds))

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


class Attempted(Protocol):
    """An outbox row: how often it was tried, and when the next try is due."""

    status: str
    attempts: int
    last_error: str | None
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime


def lease_attempt(
    row: Attempted, *, now: dt.datetime, lease: dt.timedelta, backoff: Backoff, sender: str
) -> bool:
    """Counts the row's next attempt and leases it until `now + lease` (True), or marks it dead
    when its last attempt's lease ran out without an outcome (False); the caller flushes."""
    if backoff.gives_up_after(row.attempts):
        row.status = "dead"
        row.last_error = f"no outcome recorded for the last attempt ({sender} lost)"
        return False
    row.attempts += 1
    row.last_attempt_at = now
    row.next_attempt_at = now + lease
    return True


def after_failure(
    backoff: Backoff, attempt: int, *, now: dt.datetime, permanent: bool = False
) -> dict[str, object]:
    """The row's new values after failed attempt `attempt`: dead when it was the last (or the
    failure is `permanent`), else due again after the backoff."""
    if permanent or backoff.gives_up_after(attempt):
        return {"status": "dead"}
    return {"next_attempt_at": now + backoff.delay_after(attempt)}


def record_attempt(
    session: Session, table: type[SQLModel], row_id: uuid.UUID, attempt: int, values: Values
) -> str | None:
    """Writes the outcome of attempt `attempt` if the row is still pending under that attempt's
    lease; returns its new status, or None when the lease was lost to another sender."""
    columns = table.__table__.c  # type: ignore[attr-defined]
    updated = session.execute(
        update(table)
        .where(columns.id == row_id, columns.status == "pending", columns.attempts == attempt)
        .values(**values)
        .returning(columns.status)
    ).one_or_none()
    return None if updated is None else str(updated[0])


def lease_first_due(session: Session, due: Any, take: Callable[[Any], Job | None]) -> Job | None:
    """Reads the first row of the `due` statement until `take` leases one (its job) or none is
    left (None); `take` settles each row it passes over (dead, expired, cancelled), so the next
    read finds the one after it. The caller commits."""
    while True:
        row = session.exec(due).first()
        if row is None:
            return None
        job = take(row)
        session.flush()
        if job is not None:
            return job


def attempt_due(
    session_factory: Callable[[], Session],
    *,
    limit: int,
    take_next: Callable[[Session], Job | None],
    send: Callable[[Job], Outcome],
    record: Callable[[Session, Job, Outcome], object],
) -> Iterator[Outcome]:
    """Up to `limit` attempts, one after the other: `take_next` leases a due row in one short
    transaction, `send` runs with none open, `record` stores the outcome in a second. Yields each
    outcome (the caller may stop early); ends when nothing is due."""
    for _ in range(limit):
        with session_factory() as session:
            job = take_next(session)
            session.commit()
        if job is None:
            return
        outcome = send(job)
        with session_factory() as session:
            record(session, job, outcome)
            session.commit()
        yield outcome
