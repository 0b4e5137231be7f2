"""What the two outboxes (webhooks, e-mail) share: the backoff and the lease of an attempt."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, SQLModel

_FACTOR = 4

Values = dict[str, object]


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
