"""Failed logins counted per username, whether or not such a user exists (SPEC hardening).

Counting only real accounts told a guesser which names exist: after five failures a real one
answered 423 and an unknown one 401 forever. Keying the count by the name tried makes both
answer alike. Rows live only as long as the lockout window, so guessing random names cannot
grow the table without bound.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col

from app.auth.models import LoginThrottle
from app.config import Settings
from app.db import insert_ignore, utcnow


def name_key(username: str) -> str:
    # A digest of the normalised name: any length and any character (NUL included) fits a key,
    # and the table does not collect what strangers typed.
    return hashlib.sha256(username.strip().lower().encode("utf-8", "replace")).hexdigest()


def locked_until(session: Session, username: str) -> dt.datetime | None:
    """The end of the name's lockout, when one is running now."""
    row = session.get(LoginThrottle, name_key(username))
    now = utcnow()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until


def note_refusal(session: Session, username: str) -> None:
    """A try while locked: touched like any failure, so both kinds of name do the same work."""
    session.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.name_sha256) == name_key(username))
        .values(last_failed_at=utcnow())
    )


def count_failure(session: Session, username: str, settings: Settings) -> bool:
    """Counts one failed password for the name; True when this failure starts a lockout."""
    now = utcnow()
    window = dt.timedelta(minutes=settings.login_lockout_minutes)
    _forget_stale(session, now, before=now - window)
    key = name_key(username)
    first = {"name_sha256": key, "failures": 0, "last_failed_at": now}
    insert_ignore(session, LoginThrottle, first)
    # One atomic increment, so parallel guesses from several processes all count.
    failures: int = session.execute(
        update(LoginThrottle)
        .where(col(LoginThrottle.name_sha256) == key)
        .values(failures=col(LoginThrottle.failures) + 1, last_failed_at=now)
        .returning(col(LoginThrottle.failures))
    ).scalar_one()
    if failures < settings.login_max_failures:
        return False
    session.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.name_sha256) == key)
        .values(failures=0, locked_until=now + window)
    )
    return True


def forget(session: Session, username: str) -> None:
    """A successful login or a new password: the count starts again from nothing."""
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.name_sha256) == name_key(username)))


def _forget_stale(session: Session, now: dt.datetime, *, before: dt.datetime) -> None:
    # Failures further apart than the window do not add up, and an ended lockout is forgotten.
    session.exec(
        delete(LoginThrottle).where(
            col(LoginThrottle.last_failed_at) < before,
            or_(
                col(LoginThrottle.locked_until).is_(None),
                col(LoginThrottle.locked_until) < now,
            ),
        )
    )
