"""`archive verify --since-last`: only what was added after the last full verify that passed.

SPEC "Performance bars": a full verify of a 10,000-voucher archive takes tens of seconds and a
30-year archive only grows; --since-last re-checks what changed since the last full one, and
the full verify stays available (and is what the auditors' report names).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.archive import checkpoint
from app.archive.models import VerifyCheckpoint
from app.audit.models import AuditEvent
from app.config import Settings
from tests.api.archive_helpers import booked_claim, flip_byte
from tests.api.test_archive_verify import drop_archive_triggers
from tests.api.test_audit import drop_triggers, run_sql
from tests.api.test_cli import cli_env, run  # noqa: F401  (fixture)

CHECKPOINT_TRIGGERS = {
    "postgresql": [
        "DROP TRIGGER verify_checkpoint_insert_only ON archive_verify_checkpoint",
    ],
    "sqlite": [
        "DROP TRIGGER verify_checkpoint_no_update",
        "DROP TRIGGER verify_checkpoint_no_delete",
    ],
}


def drop_checkpoint_triggers(session: Session) -> None:
    run_sql(session, *CHECKPOINT_TRIGGERS[session.get_bind().dialect.name])


pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture(autouse=True)
def no_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    # In production rows of the 15 minutes before a full verify are re-checked too (a booking
    # still committing); here everything happens within a second, so that would hide the point.
    monkeypatch.setattr(checkpoint, "OVERLAP", dt.timedelta(0))


def verify_cli(*args: str) -> tuple[int, dict[str, Any] | str]:
    code, out = run("archive", "verify", *args)
    try:
        return code, json.loads(out)
    except json.JSONDecodeError:
        return code, out


def test_since_last_needs_a_full_verify_that_passed(client: TestClient, session: Session) -> None:
    booked_claim(client, session)
    code, out = verify_cli("--since-last")
    assert code == 1
    assert isinstance(out, str)
    assert "run `railclaim archive verify` once first" in out
    assert "Traceback" not in out


def test_an_unchanged_archive_rechecks_nothing_but_the_link(
    client: TestClient, session: Session
) -> None:
    booked_claim(client, session, pay=True)
    code, full = verify_cli()
    assert code == 0, full
    assert isinstance(full, dict)
    assert full["scope"] == "full"
    assert full["checked"]["archive_records"] == 2
    code, since = verify_cli("--since-last")
    assert code == 0, since
    assert isinstance(since, dict)
    assert since["scope"].startswith("since checkpoint")
    assert since["checked"].get("archive_records", 0) == 0
    assert since["checked"].get("stored_files", 0) == 0
    assert since["checked"].get("audit_events", 0) == 0
    assert since["audit_head"] == full["audit_head"]  # the chain still ends where it was verified


def test_what_was_added_since_is_checked_and_a_damaged_new_file_fails(
    client: TestClient, session: Session, settings: Settings
) -> None:
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    later = booked_claim(client, session)
    code, since = verify_cli("--since-last")
    assert code == 0, since
    assert isinstance(since, dict)
    assert since["checked"]["archive_records"] == 1
    assert since["checked"]["audit_events"] > 0
    flip_byte(settings, later.invoice["sha256"])
    code, since = verify_cli("--since-last")
    assert code == 1
    assert isinstance(since, dict)
    assert "file-hash" in {f["check"] for f in since["failures"]}


def test_old_files_are_the_full_verifys_job(
    client: TestClient, session: Session, settings: Settings
) -> None:
    first = booked_claim(client, session)
    assert verify_cli()[0] == 0
    flip_byte(settings, first.invoice["sha256"])
    assert verify_cli("--since-last")[0] == 0  # checked before: not re-read
    code, full = verify_cli()
    assert code == 1
    assert isinstance(full, dict)
    assert "file-hash" in {f["check"] for f in full["failures"]}


def test_a_failed_full_verify_records_no_checkpoint(
    client: TestClient, session: Session, settings: Settings
) -> None:
    archived = booked_claim(client, session)
    flip_byte(settings, archived.invoice["sha256"])
    assert verify_cli()[0] == 1
    session.expire_all()
    assert session.exec(select(VerifyCheckpoint)).all() == []


def test_an_edited_event_after_the_checkpoint_fails(client: TestClient, session: Session) -> None:
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    booked_claim(client, session)
    session.expire_all()
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert last is not None
    drop_triggers(session)
    run_sql(session, "UPDATE audit_event SET action = 'x.forged' WHERE seq = :seq", seq=last.seq)
    code, since = verify_cli("--since-last")
    assert code == 1
    assert isinstance(since, dict)
    assert [f["check"] for f in since["failures"]] == ["audit-chain"]


def test_a_checkpoint_moved_by_hand_is_refused(client: TestClient, session: Session) -> None:
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    booked_claim(client, session)
    session.expire_all()
    newest = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc())).first()
    assert newest is not None
    # Skipping the new events by pointing the checkpoint at the newest link (as the owner):
    drop_checkpoint_triggers(session)
    run_sql(
        session,
        "UPDATE archive_verify_checkpoint SET audit_seq = :seq, audit_mac = :mac",
        seq=newest.seq,
        mac=newest.mac,
    )
    code, out = verify_cli("--since-last")
    assert code == 1
    assert isinstance(out, str)
    assert "does not match its seal" in out


def test_a_chain_cut_back_behind_the_checkpoint_fails_both_verifies(
    client: TestClient, session: Session
) -> None:
    booked_claim(client, session)
    code, full = verify_cli()
    assert code == 0, full
    assert isinstance(full, dict)
    verified = full["audit_head"]["seq"]
    kept = session.exec(select(AuditEvent).where(AuditEvent.seq == verified - 2)).one()
    drop_triggers(session)
    # The tail after `kept` cut off, and the head row moved to match: the chain links up.
    run_sql(
        session,
        "DELETE FROM audit_event WHERE seq > :seq",
        "UPDATE audit_head SET seq = :seq, mac = :mac",
        seq=kept.seq,
        mac=kept.mac,
    )

    for args in (("--since-last",), ()):
        code, report = verify_cli(*args)
        assert code == 1, (args, report)
        assert isinstance(report, dict)
        named = {(f["check"], f["object"]) for f in report["failures"]}
        assert ("audit-chain", f"audit_event {verified}") in named, (args, report["failures"])


def test_rows_set_back_behind_the_checkpoint_are_still_rechecked(
    client: TestClient, session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One id per statement: the chunks that keep a long window under PostgreSQL's 65,535
    # parameters are walked too.
    monkeypatch.setattr(checkpoint, "_ID_CHUNK", 1)
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    later = booked_claim(client, session)
    flip_byte(settings, later.invoice["sha256"])
    drop_archive_triggers(session)
    # Timestamps are plain columns: set back, they hid the new rows from a window by time.
    long_ago = "2001-01-01 00:00:00"
    run_sql(
        session,
        "UPDATE archive_record SET archived_at = :at",
        "UPDATE invoice SET created_at = :at",
        "UPDATE invoice_file SET created_at = :at",
        "UPDATE journal_voucher SET created_at = :at",
        at=long_ago,
    )

    code, since = verify_cli("--since-last")

    assert code == 1, since
    assert isinstance(since, dict)
    assert since["checked"]["archive_records"] == 1
    assert "file-hash" in {f["check"] for f in since["failures"]}, since["failures"]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE archive_verify_checkpoint SET audit_seq = 1", "DELETE FROM archive_verify_checkpoint"],
    ids=["moved", "deleted"],
)
def test_a_checkpoint_is_never_changed_or_deleted(
    client: TestClient, session: Session, statement: str
) -> None:
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    with pytest.raises(DBAPIError, match="insert-only"):
        run_sql(session, statement)
    session.rollback()


def test_a_checkpoint_whose_timestamp_cannot_be_read_refuses_since_last_clearly(
    client: TestClient, session: Session
) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("only SQLite keeps text that is no timestamp in a timestamp column")
    booked_claim(client, session)
    assert verify_cli()[0] == 0
    drop_checkpoint_triggers(session)
    run_sql(session, "UPDATE archive_verify_checkpoint SET started_at = 'garbage'")

    code, out = verify_cli("--since-last")

    assert code == 1
    assert isinstance(out, str)
    assert "cannot be read" in out
    assert "Traceback" not in out
