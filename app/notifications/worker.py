"""The e-mail sender of `railclaim worker`: sends due outbox rows and records each outcome.

Safe with several worker processes (see `dispatch` for the lease); time is a parameter so tests
advance a clock instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine, utcnow
from app.kit.retries import attempt_due
from app.notifications.dispatch import RetrySchedule, lease_next, record_outcome
from app.notifications.smtp import SmtpConfig, SmtpConnection

logger = logging.getLogger("railclaim.notifications")

SessionFactory = Callable[[], Session]
_BATCH = 20
_MIN_LEASE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class PassReport:
    attempted: int
    server_unusable: bool = False


def send_due(
    session_factory: SessionFactory,
    *,
    config: SmtpConfig,
    now: dt.datetime | None = None,
    limit: int = 100,
    schedule: RetrySchedule | None = None,
    lease: dt.timedelta | None = None,
) -> PassReport:
    """Sends up to `limit` due e-mails over one SMTP session.

    A server that fails as a whole (down, TLS, login) ends the pass after the one attempt it
    cost: the other rows stay unleased and untouched until the next pass."""
    schedule = schedule or RetrySchedule()
    lease = lease or lease_for(config)
    clock: Callable[[], dt.datetime] = (lambda: now) if now is not None else utcnow
    attempted = 0
    with SmtpConnection(config) as connection:
        attempts = attempt_due(
            session_factory,
            limit=limit,
            take_next=lambda session: lease_next(
                session, now=clock(), lease=lease, schedule=schedule
            ),
            send=lambda job: connection.send(job, now=clock()),
            record=lambda session, job, outcome: record_outcome(
                session, job, outcome, now=clock(), schedule=schedule
            ),
        )
        for outcome in attempts:
            attempted += 1
            if outcome.server_unusable:
                logger.warning("SMTP server unusable, pass ends", extra={"error": outcome.error})
                return PassReport(attempted, server_unusable=True)
    return PassReport(attempted)


def lease_for(config: SmtpConfig) -> dt.timedelta:
    # Connect, EHLO, STARTTLS, login and the message each have the timeout; allow for all.
    return max(_MIN_LEASE, dt.timedelta(seconds=6 * config.timeout_seconds + 60))


def run_sender(settings: Settings, stop_event: threading.Event) -> None:
    """Sends until `stop_event` is set, polling when nothing is due; returns at once when
    e-mail is off."""
    config = SmtpConfig.from_settings(settings)
    if config is None:
        logger.info("e-mail notifications off (RAILCLAIM_SMTP_HOST unset)")
        return
    if not settings.public_url:
        logger.warning("RAILCLAIM_PUBLIC_URL unset: notification e-mails carry no link")
    engine = make_engine(settings.database_url)
    logger.info("e-mail sender started", extra={"smtp_host": config.host})
    schedule = RetrySchedule.from_settings(settings)
    try:
        while not stop_event.is_set():
            report = _send_safely(engine, config, schedule, limit=_BATCH)
            if report.server_unusable:
                stop_event.wait(schedule.base_seconds)  # not one row per poll at a dead server
            elif report.attempted < _BATCH:
                stop_event.wait(settings.webhook_poll_seconds)
    finally:
        engine.dispose()
        logger.info("e-mail sender stopped")


def run_once(settings: Settings, *, limit: int = 10_000) -> int:
    """`railclaim worker --once`: one pass over the e-mails due now; 0 when e-mail is off."""
    config = SmtpConfig.from_settings(settings)
    if config is None:
        return 0
    engine = make_engine(settings.database_url)
    try:
        report = send_due(
            lambda: Session(engine, expire_on_commit=False),
            config=config,
            limit=limit,
            schedule=RetrySchedule.from_settings(settings),
        )
    finally:
        engine.dispose()
    return report.attempted


def _send_safely(
    engine: Engine, config: SmtpConfig, schedule: RetrySchedule, *, limit: int
) -> PassReport:
    try:
        return send_due(
            lambda: Session(engine, expire_on_commit=False),
            config=config,
            limit=limit,
            schedule=schedule,
        )
    except SQLAlchemyError:
        # The database may be restarting; leases make a retry after the pause safe.
        logger.exception("e-mail pass failed")
        return PassReport(0)
