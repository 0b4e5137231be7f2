"""四性检测: a clean archive verifies; altered, missing or unrecorded items are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from app.config import Settings
from app.invoices.models import Invoice, InvoiceFile
from tests.api.archive_helpers import (
    bag_info,
    booked_claim,
    export,
    failures,
    files_of,
    flip_byte,
    records,
    stored_path,
    unzip,
    verify,
)
from tests.api.test_audit import drop_triggers, run_sql
from tests.api.test_auth import assert_problem
from tests.api.test_cli import cli_env, run  # noqa: F401  (fixture)
from tests.factories import bearer, make_user

ARCHIVE_TRIGGERS = {
    "postgresql": [
        "DROP TRIGGER archive_file_retained ON archive_file",
        "DROP TRIGGER archive_record_retained ON archive_record",
    ],
    "sqlite": [
        "DROP TRIGGER archive_file_retained",
        "DROP TRIGGER archive_file_no_update",
        "DROP TRIGGER archive_record_retained",
        "DROP TRIGGER archive_record_no_update",
    ],
}


def drop_archive_triggers(session: Session) -> None:
    run_sql(session, *ARCHIVE_TRIGGERS[session.get_bind().dialect.name])


def test_a_clean_archive_verifies(client: TestClient, session: Session):
    archived = booked_claim(client, session, pay=True)
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    checked = body["checked"]
    assert checked["vouchers"] == checked["archive_records"] == checked["archive_seals"] == 2
    assert checked["xbrl_parsed"] == 1
    assert checked["archive_files"] == 10
    assert checked["invoice_files"] == 1
    assert checked["audit_events"] >= 1
    assert [w["check"] for w in body["warnings"]] == ["invoice-unverified"]
    assert body["audit_head"]["seq"] == checked["audit_events"]


def test_a_flipped_byte_is_named_in_every_row_that_holds_the_file(
    client: TestClient, session: Session, settings: Settings
):
    archived = booked_claim(client, session)
    (record,) = records(session)
    number = archived.invoice["invoice_number"]
    flip_byte(settings, archived.invoice["sha256"])
    flip_byte(settings, files_of(session, record)["report.html"].sha256)
    body = verify(client, archived.auditor)
    assert failures(body) == {
        ("file-hash", f"archive_file {record.reference}/invoices/{number}/original.pdf"),
        ("file-hash", f"invoice_file {number}/pdf"),
        ("file-hash", f"archive_file {record.reference}/report.html"),
    }
    assert {f["aspect"] for f in body["failures"]} == {"authenticity"}


def test_a_deleted_file_is_named(client: TestClient, session: Session, settings: Settings):
    archived = booked_claim(client, session)
    (record,) = records(session)
    xbrl = files_of(session, record)[f"invoices/{archived.invoice['invoice_number']}/xbrl.xml"]
    stored_path(settings, xbrl.sha256).unlink()
    body = verify(client, archived.auditor)
    number = archived.invoice["invoice_number"]
    assert failures(body) == {
        ("file-missing", f"archive_file {record.reference}/invoices/{number}/xbrl.xml"),
        ("file-missing", f"invoice_xbrl {number}/xbrl"),
    }
    assert "xbrl_parsed" not in body["checked"]  # a missing file is not reported twice


def test_a_voucher_without_its_record_and_a_record_missing_a_file_are_named(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session, pay=True)
    booking, payment = records(session)
    drop_archive_triggers(session)
    run_sql(
        session,
        "DELETE FROM archive_file WHERE record_id = :id AND role = 'report'",
        id=booking.id.hex if session.get_bind().dialect.name == "sqlite" else booking.id,
    )
    run_sql(
        session,
        "DELETE FROM archive_file WHERE record_id = :id",
        id=payment.id.hex if session.get_bind().dialect.name == "sqlite" else payment.id,
    )
    run_sql(session, "DELETE FROM archive_record WHERE reference = :ref", ref=payment.reference)
    body = verify(client, archived.auditor)
    uscc = archived.office.entity.uscc
    found = failures(body)
    assert ("archive-record-missing", f"voucher {uscc} 记-2026-11-0002") in found
    assert ("archive-record-incomplete", f"archive_record {booking.reference}") in found
    assert ("metadata-mismatch", f"archive_record {booking.reference}") in found


def test_a_record_rewritten_with_its_metadata_disagrees_with_the_chain(
    client: TestClient, session: Session, settings: Settings
):
    archived = booked_claim(client, session)
    (record,) = records(session)
    drop_archive_triggers(session)
    run_sql(session, "UPDATE archive_record SET metadata_sha256 = :sha", sha="0" * 64)
    body = verify(client, archived.auditor)
    assert ("archive-seal", f"archive_record {record.reference}") in failures(body)


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_event SET action = 'forged' WHERE seq = 2",
        "DELETE FROM audit_event WHERE seq = 2",
        "INSERT INTO audit_event (seq, occurred_at, action, object_type, details, prev_mac, mac) "
        "SELECT seq + 1000, occurred_at, action, object_type, details, prev_mac, mac "
        "FROM audit_event WHERE seq = 2",
    ],
    ids=["edited", "deleted", "inserted"],
)
def test_audit_rows_edited_deleted_or_inserted_in_the_database_are_detected(
    client: TestClient, session: Session, tamper: str
):
    archived = booked_claim(client, session)
    drop_triggers(session)
    run_sql(session, tamper)
    body = verify(client, archived.auditor)
    audit = [f for f in body["failures"] if f["check"] == "audit-chain"]
    assert len(audit) == 1
    assert audit[0]["aspect"] == "security"
    assert audit[0]["object"].startswith("audit_event ")


def test_truncation_is_detected_against_the_head_of_an_earlier_export(
    client: TestClient, session: Session, tmp_path: Path
):
    archived = booked_claim(client, session)
    head = bag_info(unzip(export(client, archived.auditor), tmp_path))["Audit-Chain-Head-MAC"]
    seq = int(bag_info(tmp_path / "bag")["Audit-Chain-Head-Seq"])
    drop_triggers(session)
    # Cut the export's own event off the end and rewind the head row to the event before it.
    run_sql(session, "DELETE FROM audit_event WHERE seq = :seq", seq=seq)
    run_sql(
        session,
        "UPDATE audit_head SET seq = :seq, mac = (SELECT mac FROM audit_event WHERE seq = :seq)",
        seq=seq - 1,
    )
    assert verify(client, archived.auditor)["ok"] is True  # consistent without the earlier head
    body = verify(client, archived.auditor, expected_head=head)
    assert ("audit-chain", f"audit_event {seq}") in failures(body)
    assert "head-mismatch" in body["failures"][0]["message"]


@pytest.mark.parametrize("role", ["employee", "approver", "finance"])
def test_only_auditors_and_admins_verify(client: TestClient, session: Session, role: str):
    headers = bearer(session, make_user(session, role))
    refused = client.get("/api/v1/archive/verify", headers=headers)
    assert refused.status_code == 403
    assert_problem(refused.json(), 403, "forbidden")
    assert verify(client, bearer(session, make_user(session, "admin")))["ok"] is True
    bad = client.get(
        "/api/v1/archive/verify",
        headers=bearer(session, make_user(session, "auditor")),
        params={"expected_head": "xyz"},
    )
    assert bad.status_code == 422


@pytest.mark.usefixtures("cli_env")
def test_the_cli_verifies_and_fails_on_a_failure(
    client: TestClient,
    session: Session,
    settings: Settings,
):
    archived = booked_claim(client, session)
    code, out = run("archive", "verify")
    assert code == 0, out
    assert '"ok": true' in out
    flip_byte(settings, archived.invoice["sha256"])
    code, out = run("archive", "verify")
    assert code == 1
    assert "file-hash" in out


def test_json_of_another_shape_in_the_log_fails_the_report_not_the_request(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    drop_triggers(session)
    as_json = (
        "CAST(:details AS jsonb)" if session.get_bind().dialect.name == "postgresql" else ":details"
    )
    run_sql(
        session,
        f"UPDATE audit_event SET details = {as_json} WHERE action = 'archive.recorded'",
        details="[1]",
    )

    body = verify(client, archived.auditor)

    assert any(check == "check-incomplete" for check, _ in failures(body)), body["failures"]
    assert any(f["check"] == "audit-chain" for f in body["failures"]), body["failures"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("column", "value"), [("occurred_at", "yesterday"), ("details", "not json")]
)
def test_an_audit_row_that_cannot_be_read_is_a_broken_link_not_a_crash(
    client: TestClient, session: Session, column: str, value: str
):
    # SQLite keeps any text in any column: values no writer of ours produced.
    archived = booked_claim(client, session)
    drop_triggers(session)
    seq = session.execute(text("SELECT min(seq) + 1 FROM audit_event")).scalar_one()
    run_sql(
        session, f"UPDATE audit_event SET {column} = :value WHERE seq = :seq", value=value, seq=seq
    )

    chain = client.get("/api/v1/audit-events/verify", headers=archived.auditor)
    body = verify(client, archived.auditor)

    assert chain.status_code == 200, chain.text
    assert chain.json()["ok"] is False
    assert chain.json()["first_broken"]["seq"] == seq
    assert chain.json()["first_broken"]["reason"] == "unreadable"
    assert f"audit_event {seq}" in {
        f["object"] for f in body["failures"] if f["check"] == "audit-chain"
    }


def test_a_number_given_out_that_no_voucher_holds_is_named(client: TestClient, session: Session):
    archived = booked_claim(client, session, pay=True)
    assert verify(client, archived.auditor)["ok"] is True
    # As after a voucher deleted with its record: the period gave out a number nobody holds.
    run_sql(session, "UPDATE accounting_period SET last_number = last_number + 1")

    body = verify(client, archived.auditor)

    (numbering,) = [f for f in body["failures"] if f["check"] == "voucher-numbering"]
    assert numbering["object"].endswith(" 2026-11"), numbering
    assert "numbers 1..3 were given out, 2 vouchers hold them" in numbering["message"]


@pytest.mark.usefixtures("cli_env")
def test_the_cli_export_fails_when_the_bag_holds_a_damaged_file(
    client: TestClient, session: Session, settings: Settings, tmp_path: Path
):
    archived = booked_claim(client, session)
    flip_byte(settings, archived.invoice["sha256"])
    output = tmp_path / "bag.zip"
    uscc = archived.office.entity.uscc

    code, out = run(
        "archive", "export", "--entity", uscc, "--from", "2026-11", "--to", "2026-11",
        "--output", str(output),
    )  # fmt: skip

    assert code == 1, out
    assert "integrity failure: " in out
    assert "content differs from its recorded SHA-256" in out
    assert output.exists()  # written, and its bag-info says Integrity-Failures: 1


@pytest.mark.parametrize(
    "tamper",
    [
        "DELETE FROM invoice_file",
        "UPDATE invoice_file SET sha256 = 'ab' || substr(sha256, 3)",
    ],
    ids=["file-row-deleted", "file-row-pointed-elsewhere"],
)
def test_an_invoice_without_its_own_file_row_is_named(
    client: TestClient, session: Session, tamper: str
):
    archived = booked_claim(client, session)
    run_sql(session, tamper)

    body = verify(client, archived.auditor)

    number = archived.invoice["invoice_number"]
    assert ("invoice-file-missing", f"invoice {number}") in failures(body), body["failures"]


def test_a_file_row_whose_role_was_changed_is_named(client: TestClient, session: Session):
    archived = booked_claim(client, session)
    drop_archive_triggers(session)
    # As an XBRL no more, it would skip the XBRL check.
    run_sql(
        session, "UPDATE archive_file SET role = 'invoice-original' WHERE role = 'invoice-xbrl'"
    )

    body = verify(client, archived.auditor)

    (mismatch,) = [f for f in body["failures"] if f["check"] == "metadata-mismatch"]
    assert "xbrl" in mismatch["message"], mismatch


def _invoice_files(session: Session, number: str) -> dict[str, InvoiceFile]:
    session.commit()
    invoice = session.exec(select(Invoice).where(Invoice.invoice_number == number)).one()
    files = session.exec(select(InvoiceFile).where(InvoiceFile.invoice_id == invoice.id)).all()
    return {f.kind: f for f in files}


def test_a_booked_invoice_whose_served_file_was_swapped_is_named(
    client: TestClient, session: Session
):
    # The download serves the invoice's file row of a kind: rows re-kinded and a forged file
    # put in as the PDF would hand out other bytes, while the archive's own copy is intact.
    archived = booked_claim(client, session)
    number = archived.invoice["invoice_number"]
    forged = client.app.state.store.put(b"%PDF-1.7 a forged face")  # type: ignore[attr-defined]
    real = _invoice_files(session, number)["pdf"]
    real.kind = "ofd"
    session.add(real)
    session.flush()
    session.add(
        InvoiceFile(invoice_id=real.invoice_id, kind="pdf", filename="x.pdf", sha256=forged, size=9)
    )
    session.commit()

    body = verify(client, archived.auditor)

    [record] = records(session)
    path = f"archive_file {record.reference}/invoices/{number}/original.pdf"
    assert ("invoice-file-changed", path) in failures(body), body["failures"]
    assert body["ok"] is False


def test_a_booked_invoice_given_another_xbrl_is_named(client: TestClient, session: Session):
    archived = booked_claim(client, session)
    number = archived.invoice["invoice_number"]
    other = client.app.state.store.put(b"<xml>another invoice</xml>")  # type: ignore[attr-defined]
    run_sql(
        session, "UPDATE invoice SET xbrl_sha256 = :other WHERE invoice_number = :number",
        other=other, number=number,
    )  # fmt: skip

    body = verify(client, archived.auditor)

    [record] = records(session)
    path = f"archive_file {record.reference}/invoices/{number}/xbrl.xml"
    assert ("invoice-file-changed", path) in failures(body), body["failures"]


def test_an_archived_file_row_moved_to_another_invoice_is_named(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    other = booked_claim(client, session)
    drop_archive_triggers(session)
    [record, _] = sorted(records(session), key=lambda r: r.voucher_number)
    original = next(f for f in files_of(session, record).values() if f.role == "invoice-original")
    run_sql(
        session,
        "UPDATE archive_file SET invoice_id = (SELECT id FROM invoice WHERE invoice_number = :n)"
        " WHERE id = :file",
        n=other.invoice["invoice_number"], file=original.id.hex
        if session.get_bind().dialect.name == "sqlite" else str(original.id),
    )  # fmt: skip

    body = verify(client, archived.auditor)

    label = f"archive_file {record.reference}/{original.path}"
    assert ("invoice-file-changed", label) in failures(body), body["failures"]


def test_a_rendition_added_after_the_booking_is_no_failure(client: TestClient, session: Session):
    archived = booked_claim(client, session)
    number = archived.invoice["invoice_number"]
    assert "ofd" not in _invoice_files(session, number)
    later = client.app.state.store.put(b"an OFD received later")  # type: ignore[attr-defined]
    invoice_id = _invoice_files(session, number)["pdf"].invoice_id
    session.add(
        InvoiceFile(invoice_id=invoice_id, kind="ofd", filename="x.ofd", sha256=later, size=1)
    )
    session.commit()

    body = verify(client, archived.auditor)

    assert body["ok"] is True, body["failures"]
    assert body["checked"]["archived_invoice_files"] >= 1
