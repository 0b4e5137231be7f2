"""What `railclaim archive export|verify` run, apart from argument parsing and printing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session, select

from app.archive.checkpoint import record_full_verify, since_last_full_verify
from app.archive.findings import ArchiveReport
from app.archive.service import ExportPlan, start_export, stream_export, verify_archive
from app.audit.service import audit_key
from app.auth.models import Role, User
from app.config import Settings
from app.db import make_engine, utcnow
from app.entities.models import LegalEntity
from app.kit.dates import business_today
from app.problems import Forbidden, NotFound
from app.storage.factory import make_store

EXPORT_ROLES = (Role.AUDITOR, Role.ADMIN, Role.FINANCE)


@contextmanager
def _sessions(settings: Settings) -> Iterator[tuple[Session, Session]]:
    """A writing session for the audit event and a deferred read session for the long read."""
    engine = make_engine(settings.database_url)
    read_engine = make_engine(settings.database_url, sqlite_immediate=False)
    try:
        with Session(engine, expire_on_commit=False) as session, Session(read_engine) as reader:
            yield session, reader
    finally:
        engine.dispose()
        read_engine.dispose()


def export_to_file(
    settings: Settings, *, uscc: str, period_from: str, period_to: str, username: str | None,
    output: Path, failures: list[str] | None = None,
) -> ExportPlan:  # fmt: skip
    """Writes the bag to `output` (via a temporary name, so a failed export leaves no zip);
    `failures` receives the files the bag could not hold as recorded.

    The file is opened before the export is audited: a place that cannot be written to fails
    the command without an `archive.exported` event for an export that never happened.
    """
    store = make_store(settings)
    partial = output.with_name(output.name + ".partial")
    with _sessions(settings) as (session, reader):
        entity = session.exec(select(LegalEntity).where(LegalEntity.uscc == uscc.upper())).first()
        if entity is None:
            raise NotFound(f"No legal entity with USCC {uscc}.")
        actor = _exporter(session, username)
        with partial.open("wb") as handle:
            try:
                plan = start_export(
                    session, entity_id=entity.id, period_from=period_from, period_to=period_to,
                    actor=actor, key=audit_key(settings),
                )  # fmt: skip
                for chunk in stream_export(reader, store=store, plan=plan, failures=failures):
                    handle.write(chunk)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
    partial.replace(output)
    return plan


def _exporter(session: Session, username: str | None) -> User | None:
    if username is None:
        return None
    user = session.exec(select(User).where(User.username == username.lower())).first()
    if user is None or not user.is_active:
        raise NotFound(f"No active user {username}.")
    if not user.has_role(*EXPORT_ROLES):
        raise Forbidden(f"{username} is not an auditor, finance or admin user.")
    return user


def verify_installation(
    settings: Settings, *, expected_head: str | None, since_last: bool = False
) -> ArchiveReport:
    """A full verify, recorded as the next --since-last's start when it passes; or, with
    `since_last`, only what was added after the last full verify that passed."""
    store = make_store(settings)
    key = audit_key(settings)
    started_at = utcnow()
    with _sessions(settings) as (session, reader):
        since = since_last_full_verify(session, key=key) if since_last else None
        report = verify_archive(
            reader, store=store, key=key, expected_head=expected_head, today=business_today(),
            since=since,
        )  # fmt: skip
        if since is None:
            record_full_verify(session, report, started_at=started_at, key=key)
        return report
