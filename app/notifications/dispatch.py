"""Leasing due e-mails and recording what became of them: the sender's database side.

As for webhooks, a lease and not a held lock: one short transaction picks a due row, counts the
attempt and pushes `next_attempt_at` past the time an SMTP exchange may take; the exchange runs
with no transaction open (on SQLite a held write lock would stall the whole service); a second
short transaction records the outcome, only if the row is still at the attempt it leased (the
attempt count is the fencing token). Two senders therefore never hold the same row: on
PostgreSQL the pick is `FOR UPDATE SKIP LOCKED`, on SQLite the picking transaction is the single
writer (BEGIN IMMEDIATE). A sender that dies mid-exchange leaves its lease to run out, and the
row is sent again: delivery is at least once, with a stable Message-ID for the reader's mailer.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.config import Settings
from app.kit.retries import Backoff, after_failure, lease_attempt, lease_first_due, record_attempt
from app.notifications.models import Notification

logger = logging.getLogger("railclaim.notifications")

_ERROR_LENGTH = 500


@dataclass(frozen=True)
class RetrySchedule(Backoff):
    """Backoff ×4 from `base_seconds`, capped; `max_age` bounds how late anything is sent.

    With the defaults (1 min, capped at 6 h, 8 attempts) the waits are 1, 4, 16 and 64 minutes,
    4 h 16 min, then 6 h twice: the last attempt is about 17.4 hours after the first."""

    max_attempts: int = 8
    base_seconds: float = 60.0
    cap_seconds: float = 6 * 3600.0
    max_age: dt.timedelta = dt.timedelta(hours=72)

    @classmethod
    def from_settings(cls, settings: Settings) -> RetrySchedule:
        return cls(
            max_attempts=settings.notification_max_attempts,
            base_seconds=settings.notification_retry_base_seconds,
            cap_seconds=settings.notification_retry_cap_seconds,
            max_age=dt.timedelta(hours=settings.notification_max_age_hours),
        )


@dataclass(frozen=True)
class MailJob:
    """One leased e-mail, detached from the session."""

    notification_id: uuid.UUID
    attempt: int
    claim_id: uuid.UUID | None
    to_address: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class MailOutcome:
    """What one attempt came to. `permanent`: the server refused this message for good (5xx),
    so retrying cannot help. `server_unusable`: the server itself failed (down, TLS, login), so
    the rest of the pass waits for the next one instead of failing message after message."""

    sent: bool
    error: str | None = None
    permanent: bool = False
    server_unusable: bool = False


def _due_statement(now: dt.datetime) -> SelectOfScalar[Notification]:
    return (
        select(Notification)
        .where(col(Notification.status) == "pending", col(Notification.next_attempt_at) <= now)
        .order_by(col(Notification.next_attempt_at), col(Notification.created_at))
        .limit(1)
        # PostgreSQL: concurrent senders skip each other's rows instead of queueing on them.
        .with_for_update(skip_locked=True)
    )


def lease_next(
    session: Session, *, now: dt.datetime, lease: dt.timedelta, schedule: RetrySchedule
) -> MailJob | None:
    """Leases the next due e-mail and counts its attempt; the caller commits."""

    def take(row: Notification) -> MailJob | None:
        if row.created_at < now - schedule.max_age:
            row.status = "expired"
            row.last_error = "not sent within the age limit (e-mail was off or failing)"
            return None
        if not lease_attempt(row, now=now, lease=lease, backoff=schedule, sender="sender"):
            return None
        return MailJob(
            notification_id=row.id,
            attempt=row.attempts,
            claim_id=row.claim_id,
            to_address=row.to_address,
            language=row.language,
            subject=row.subject,
            body=row.body,
        )

    return lease_first_due(session, _due_statement(now), take)


def record_outcome(
    session: Session,
    job: MailJob,
    outcome: MailOutcome,
    *,
    now: dt.datetime,
    schedule: RetrySchedule,
) -> str | None:
    """Stores the result of an attempt; returns the new status, None if the lease was lost."""
    values: dict[str, object] = {
        "last_error": outcome.error[:_ERROR_LENGTH] if outcome.error else None,
    }
    if outcome.sent:
        values |= {"status": "sent", "sent_at": now}
    else:
        values |= after_failure(schedule, job.attempt, now=now, permanent=outcome.permanent)
    status = record_attempt(session, Notification, job.notification_id, job.attempt, values)
    if status is None:
        logger.warning(
            "lease lost before recording", extra={"notification_id": str(job.notification_id)}
        )
        return None
    if status == "dead":
        # Not the address: it is personal data, and the row in the database has it.
        logger.warning(
            "e-mail notification dead",
            extra={"notification_id": str(job.notification_id), "error": outcome.error},
        )
    return status
