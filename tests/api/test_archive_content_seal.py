"""Issue 15, point 2: database edits behind the archive's back fail verify (API and CLI).

Each attack drops the triggers the way a database superuser (or a restored, edited backup)
would, edits rows the way the attack did, and expects `ok: false` naming the edited object.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.archive.models import ArchiveRecord
from app.archive.seal import content_seal
from app.archive.service import records as records_service
from app.audit.models import AuditEvent
from app.audit.service import EventRecorder
from app.config import Settings
from app.ledger.models import JournalLine
from tests.api.archive_helpers import (
    Archived,
    booked_claim,
    booked_paper_claim,
    failures,
    files_of,
    records,
    stored_path,
    verify,
)
from tests.api.test_archive_verify import drop_archive_triggers
from tests.api.test_audit import run_sql
from tests.api.test_cli import cli_env, run  # noqa: F401  (fixture)

LEDGER_TRIGGERS = {
    "postgresql": [
        f"DROP TRIGGER {table}_{name} ON {table}"
        for table in ("journal_line", "booked_document")
        for name in ("insert_only", "no_truncate")
    ],
    "sqlite": [
        f"DROP TRIGGER {table}_no_{verb}"
        for table in ("journal_line", "booked_document")
        for verb in ("update", "delete")
    ],
}


def row_id(session: Session, value: uuid.UUID | str) -> Any:
    """A UUID as the engine stores it (SQLite: 32 hex digits, PostgreSQL: uuid)."""
    value = uuid.UUID(str(value))
    return value.hex if session.get_bind().dialect.name == "sqlite" else value


def act_as_superuser(session: Session) -> None:
    drop_archive_triggers(session)
    run_sql(session, *LEDGER_TRIGGERS[session.get_bind().dialect.name])


def assert_detected(
    client: TestClient, archived: Archived, expected: set[tuple[str, str]]
) -> dict[str, Any]:
    body = verify(client, archived.auditor)
    assert body["ok"] is False
    assert expected <= failures(body), body["failures"]
    code, out = run("archive", "verify")
    assert code == 1, out
    for _check, name in expected:
        assert name in out
    return body


@pytest.fixture
def paid(client: TestClient, session: Session) -> Archived:
    archived = booked_claim(client, session, pay=True)
    assert verify(client, archived.auditor)["ok"] is True
    act_as_superuser(session)
    return archived


def voucher_name(archived: Archived, record: ArchiveRecord) -> str:
    return f"voucher {archived.office.entity.uscc} {record.voucher_number_text}"


@pytest.mark.usefixtures("cli_env")
def test_journal_lines_times_ten_still_balanced_fail_verify(
    client: TestClient, session: Session, paid: Archived
):
    booking, _payment = records(session)
    run_sql(
        session,
        "UPDATE journal_line SET debit = debit * 10, credit = credit * 10 WHERE voucher_id = :v",
        v=row_id(session, booking.voucher_id),
    )
    body = assert_detected(client, paid, {("content-seal", voucher_name(paid, booking))})
    assert any("journal lines differ" in f["message"] for f in body["failures"])


@pytest.mark.usefixtures("cli_env")
def test_a_voucher_and_its_record_totals_rewritten_together_fail_verify(
    client: TestClient, session: Session, paid: Archived
):
    booking, _payment = records(session)
    run_sql(
        session,
        "UPDATE journal_voucher SET total = 5530.00 WHERE id = :v",
        "UPDATE archive_record SET total = 5530.00 WHERE id = :r",
        v=row_id(session, booking.voucher_id),
        r=row_id(session, booking.id),
    )
    body = assert_detected(
        client,
        paid,
        {
            ("content-seal", voucher_name(paid, booking)),
            ("content-seal", f"archive_record {booking.reference}"),
        },
    )
    assert "archive-record-mismatch" not in {f["check"] for f in body["failures"]}  # agreeing


@pytest.mark.usefixtures("cli_env")
def test_a_booked_invoices_fare_and_passenger_edited_fail_verify(
    client: TestClient, session: Session, paid: Archived
):
    run_sql(
        session,
        "UPDATE invoice SET fare = 5.53, passenger_name = '李四' WHERE id = :i",
        i=row_id(session, paid.invoice["id"]),
    )
    number = paid.invoice["invoice_number"]
    assert_detected(client, paid, {("content-seal", f"invoice {number}")})


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    "edit",
    [
        "total_amount = 99999.00",
        "fuel_surcharge = 9000.00",
        "other_taxes = 1.00, civil_aviation_fund = 50.00",
    ],
)
def test_a_booked_railway_invoices_air_amounts_edited_fail_verify(
    client: TestClient, session: Session, paid: Archived, edit: str
):
    # Sealed without its air columns, but the amount reimbursed (合计) reads them.
    run_sql(
        session, f"UPDATE invoice SET {edit} WHERE id = :i", i=row_id(session, paid.invoice["id"])
    )
    number = paid.invoice["invoice_number"]
    assert_detected(client, paid, {("content-seal", f"invoice {number}")})


@pytest.mark.usefixtures("cli_env")
def test_a_booked_claims_number_edited_fails_verify(
    client: TestClient, session: Session, paid: Archived
):
    # The number printed on the 报销单 (BX-…): sealed with the claim since seal version 2.
    run_sql(session, "UPDATE claim SET number = 'BX-209901-9999'")
    body = assert_detected(client, paid, set())
    assert {f["check"] for f in body["failures"]} == {"content-seal"}
    assert all(f["object"].startswith("claim ") for f in body["failures"])


def test_records_sealed_by_version_1_still_verify(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(records_service, "content_seal", lambda rows: content_seal(rows, 1))
    archived = booked_claim(client, session, pay=True)
    monkeypatch.undo()
    sealed = [e.details["content"]["version"] for e in _recorded_events(session)]
    assert sealed == [1, 1]
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    assert body["checked"]["content_seals"] == 2


def _recorded_events(session: Session) -> list[AuditEvent]:
    session.commit()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == "archive.recorded")))


@pytest.mark.usefixtures("cli_env")
def test_a_paid_claim_set_back_to_approved_fails_verify(
    client: TestClient, session: Session, paid: Archived
):
    run_sql(
        session,
        "UPDATE claim SET state = 'approved' WHERE id = :c",
        c=row_id(session, paid.claim_id),
    )
    body = assert_detected(client, paid, {("claim-state", f"claim {paid.claim_id}")})
    messages = {f["message"] for f in body["failures"] if f["check"] == "claim-state"}
    assert any("sealed it paid" in m for m in messages), messages


@pytest.mark.usefixtures("cli_env")
def test_the_payment_voucher_deleted_with_everything_of_it_fails_verify(
    client: TestClient, session: Session, settings: Settings, paid: Archived
):
    booking, payment = records(session)
    booking_files = {f.sha256 for f in files_of(session, booking).values()}
    for row in files_of(session, payment).values():
        if row.sha256 not in booking_files:
            stored_path(settings, row.sha256).unlink()
    voucher, record = row_id(session, payment.voucher_id), row_id(session, payment.id)
    run_sql(
        session,
        "DELETE FROM archive_file WHERE record_id = :r",
        "DELETE FROM archive_record WHERE id = :r",
        "DELETE FROM journal_line WHERE voucher_id = :v",
        "DELETE FROM claim_posting WHERE voucher_id = :v",
        "DELETE FROM journal_voucher WHERE id = :v",
        # ... and the claim put back where the payment found it, so the rows agree again.
        "UPDATE claim SET state = 'booked' WHERE id = :c",
        "UPDATE accounting_period SET last_number = last_number - 1",
        v=voucher,
        r=record,
        c=row_id(session, paid.claim_id),
    )
    body = assert_detected(
        client, paid, {("archive-record-missing", f"archive_record {payment.reference}")}
    )
    assert payment.voucher_number_text in " ".join(f["message"] for f in body["failures"])


@pytest.mark.usefixtures("cli_env")
def test_a_booked_claim_marked_paid_without_a_payment_fails_verify(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    run_sql(
        session,
        "UPDATE claim SET state = 'paid' WHERE id = :c",
        c=row_id(session, archived.claim_id),
    )
    body = assert_detected(client, archived, {("claim-state", f"claim {archived.claim_id}")})
    assert any("no payment voucher" in f["message"] for f in body["failures"])


def test_a_deleted_booked_mark_fails_verify(client: TestClient, session: Session, paid: Archived):
    booking, _payment = records(session)
    run_sql(
        session,
        "DELETE FROM booked_document WHERE voucher_id = :v",
        v=row_id(session, booking.voucher_id),
    )
    body = verify(client, paid.auditor)
    number = paid.invoice["invoice_number"]
    assert ("content-seal", f"invoice {number}") in failures(body)


def test_a_booked_paper_vouchers_fare_edited_fails_verify(client: TestClient, session: Session):
    archived = booked_paper_claim(client, session)
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    assert body["checked"]["content_seals"] == 1
    act_as_superuser(session)
    run_sql(
        session,
        "UPDATE paper_voucher SET fare = 55.30, location = '别处' WHERE id = :p",
        p=row_id(session, archived.invoice["id"]),
    )
    assert failures(verify(client, archived.auditor)) == {
        ("content-seal", "paper_voucher A12345678")
    }


def test_a_booked_railway_paper_vouchers_surcharge_edited_fails_verify(
    client: TestClient, session: Session
):
    archived = booked_paper_claim(client, session)
    assert verify(client, archived.auditor)["ok"] is True
    act_as_superuser(session)
    run_sql(
        session,
        "UPDATE paper_voucher SET fuel_surcharge = 9000, other_taxes = 1 WHERE id = :p",
        p=row_id(session, archived.invoice["id"]),
    )
    assert failures(verify(client, archived.auditor)) == {
        ("content-seal", "paper_voucher A12345678")
    }


def test_legitimate_postings_verify_clean_reversal_included(client: TestClient, session: Session):
    archived = booked_claim(client, session, pay=True)
    booking = records(session)[0]
    reversed_ = client.post(
        f"/api/v1/vouchers/{booking.voucher_id}/reverse",
        json={"reversal_date": "2026-12-02", "reason": "重复报销"},
        headers=archived.office.headers["finance"],
    )
    assert reversed_.status_code == 201, reversed_.text
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    assert body["checked"]["content_seals"] == body["checked"]["chain_records"] == 3
    assert "sealed-before-content-seal" not in {w["check"] for w in body["warnings"]}


def test_the_database_refuses_to_change_or_delete_ledger_rows(client: TestClient, session: Session):
    booked_claim(client, session)
    statements = [
        "UPDATE journal_line SET debit = debit * 10",
        "DELETE FROM journal_line",
        "UPDATE booked_document SET voucher_id = voucher_id",
        "DELETE FROM booked_document",
    ]
    if session.get_bind().dialect.name == "postgresql":
        statements += ["TRUNCATE journal_line", "TRUNCATE booked_document"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="insert-only"):
            session.execute(text(statement))
        session.rollback()
    lines = session.exec(select(JournalLine).order_by(col(JournalLine.line_no))).all()
    assert [str(line.debit) for line in lines] == ["507.34", "45.66", "0.00"]


@pytest.fixture
def sealed_before_content_seal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records as an installation older than issue 15 wrote them: no `content` in the event."""
    recording = EventRecorder.record

    def without_content(
        recorder: EventRecorder, session: Session, action: str, about: Any, details: Any = None
    ) -> Any:
        if action == "archive.recorded":
            details = {k: v for k, v in details.items() if k != "content"}
        return recording(recorder, session, action, about, details)

    monkeypatch.setattr(EventRecorder, "record", without_content)


@pytest.mark.usefixtures("sealed_before_content_seal")
def test_records_sealed_before_the_content_seal_verify_with_a_warning(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session, pay=True)
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    (warning,) = [w for w in body["warnings"] if w["check"] == "sealed-before-content-seal"]
    assert warning["message"].startswith("2 records were archived before")
    assert body["checked"]["content_unsealed"] == 2
    assert "content_seals" not in body["checked"]
    # What needs no sealed content is still checked: the claim's state, the chain's records.
    drop_archive_triggers(session)
    run_sql(
        session,
        "UPDATE claim SET state = 'approved' WHERE id = :c",
        c=row_id(session, archived.claim_id),
    )
    assert ("claim-state", f"claim {archived.claim_id}") in failures(
        verify(client, archived.auditor)
    )
