"""Posting archives each voucher: its 档号, retention, folder of files and its audit seal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.archive.errors import RetentionActive
from app.archive.retention import delete_archived_file, purge_record
from app.audit.models import AuditEvent
from app.config import Settings
from app.db import utcnow
from app.storage import LocalFileStore
from app.storage.gc import collect_garbage
from tests.api.archive_helpers import booked_claim, files_of, records, stored_path
from tests.api.ledger_helpers import approved_claim, make_office
from tests.api.test_archive_verify import drop_archive_triggers
from tests.api.test_audit import run_sql
from tests.api.test_auth import assert_problem
from tests.factories import bearer, make_user


def test_booking_archives_the_voucher_with_its_files(
    client: TestClient, session: Session, settings: Settings
):
    archived = booked_claim(client, session)
    (record,) = records(session)
    fonds = archived.office.entity.fonds_code
    assert record.reference == f"{fonds}-2026-11-0001"
    assert (record.kind, record.fiscal_year, record.period, record.voucher_number) == (
        "booking",
        2026,
        "2026-11",
        1,
    )
    assert record.retention_until == dt.date(2056, 12, 31)
    files = files_of(session, record)
    number = archived.invoice["invoice_number"]
    assert set(files) == {
        "voucher.json",
        "report.html",
        "metadata.json",
        "approval-history.json",
        f"invoices/{number}/original.pdf",
        f"invoices/{number}/xbrl.xml",
    }
    assert files[f"invoices/{number}/original.pdf"].sha256 == archived.invoice["sha256"]
    assert record.file_count == len(files)
    for row in files.values():
        assert stored_path(settings, row.sha256).stat().st_size == row.size

    store = LocalFileStore(settings.storage_dir)
    metadata = json.loads(store.get(files["metadata.json"].sha256))
    assert metadata["reference"] == record.reference
    assert (metadata["fiscal_year"], metadata["period"], metadata["voucher_number"]) == (
        2026,
        "2026-11",
        1,
    )
    assert metadata["retention_until"] == "2056-12-31"
    assert metadata["amounts"]["total"] == "553.00"
    assert metadata["amounts"]["input_vat"] == "45.66"
    (document,) = metadata["documents"]
    assert document["invoice_number"] == number
    assert document["passenger_id_masked"].startswith("1101011990****")
    assert document["verification"] == "unverified"
    listed = {f["path"]: (f["sha256"], f["size"]) for f in metadata["files"]}
    assert listed == {p: (r.sha256, r.size) for p, r in files.items() if p != "metadata.json"}

    report = store.get(files["report.html"].sha256).decode()
    assert "人民币伍佰伍拾叁元整" in report
    assert record.reference in report
    assert archived.office.manager.username in report  # the approval trail names the approver
    history = json.loads(store.get(files["approval-history.json"].sha256))
    assert [a["approver"]["id"] for a in history["approvals"]] == [str(archived.office.manager.id)]
    assert [h["action"] for h in history["history"]][:3] == ["created", "submitted", "approved"]
    voucher = json.loads(store.get(files["voucher.json"].sha256))
    assert (voucher["number"], voucher["total"]) == ("记-2026-11-0001", "553.00")

    seal = session.exec(select(AuditEvent).where(AuditEvent.action == "archive.recorded")).one()
    assert seal.object_id == str(record.id)
    assert seal.details["metadata_sha256"] == record.metadata_sha256


def test_payment_and_reversal_vouchers_are_archived(client: TestClient, session: Session):
    archived = booked_claim(client, session, pay=True)
    booking = records(session)[0]
    reversed_ = client.post(
        f"/api/v1/vouchers/{booking.voucher_id}/reverse",
        json={"reversal_date": "2026-12-02", "reason": "重复报销"},
        headers=archived.office.headers["finance"],
    )
    assert reversed_.status_code == 201, reversed_.text
    fonds = archived.office.entity.fonds_code
    assert [(r.reference, r.kind, str(r.total)) for r in records(session)] == [
        (f"{fonds}-2026-11-0001", "booking", "553.00"),
        (f"{fonds}-2026-11-0002", "payment", "553.00"),
        (f"{fonds}-2026-12-0001", "reversal", "-553.00"),
    ]
    payment = records(session)[1]
    # The originals stay in the booking's folder; the payment holds its voucher and trail.
    assert set(files_of(session, payment)) == {
        "voucher.json",
        "report.html",
        "metadata.json",
        "approval-history.json",
    }


def test_deleting_an_archived_record_is_refused_before_retention_ends(
    client: TestClient, session: Session, settings: Settings
):
    booked_claim(client, session)
    (record,) = records(session)
    admin = bearer(session, make_user(session, "admin"))
    refused = client.delete(f"/api/v1/archive/records/{record.id}", headers=admin)
    assert refused.status_code == 409
    assert_problem(refused.json(), 409, "retention-active")
    assert refused.json()["retention_until"] == "2056-12-31"
    with pytest.raises(RetentionActive):
        purge_record(
            session, record_id=record.id, today=dt.date(2056, 12, 31), actor=None, key=b"k"
        )
    original = files_of(session, record)["metadata.json"].sha256
    with pytest.raises(RetentionActive):
        delete_archived_file(
            session,
            store=LocalFileStore(settings.storage_dir),
            sha256=original,
            today=dt.date(2030, 1, 1),
        )
    assert stored_path(settings, original).exists()
    assert len(records(session)) == 1


def test_the_database_refuses_to_change_or_delete_archive_rows(
    client: TestClient, session: Session
):
    booked_claim(client, session)
    (record,) = records(session)
    for statement in (
        "UPDATE archive_record SET total = 1",
        "DELETE FROM archive_record",
        "UPDATE archive_file SET sha256 = 'x'",
        "DELETE FROM archive_file",
        # TRUNCATE fires no row trigger; PostgreSQL refuses it by a statement trigger.
        *(
            ["TRUNCATE archive_file", "TRUNCATE archive_file, archive_record CASCADE"]
            if session.get_bind().dialect.name == "postgresql"
            else []
        ),
    ):
        with pytest.raises(DBAPIError):
            session.execute(text(statement))
        session.rollback()
    assert records(session)[0].total == record.total
    assert len(files_of(session, record)) > 0


def test_storage_gc_never_collects_archived_files(
    client: TestClient, session: Session, settings: Settings
):
    booked_claim(client, session)
    (record,) = records(session)
    store = LocalFileStore(settings.storage_dir)
    report = collect_garbage(
        session, store, dry_run=False, now=utcnow() + dt.timedelta(days=365), grace=dt.timedelta(0)
    )
    assert report.removed == []
    assert all(store.exists(row.sha256) for row in files_of(session, record).values())


def test_no_endpoint_deletes_invoices_or_stored_files(app: FastAPI):
    paths = app.openapi()["paths"]
    deleting = {path for path, operations in paths.items() if "delete" in operations}
    assert "/api/v1/tokens/{token_id}" in deleting  # the listing sees DELETE routes at all
    assert not any(p.startswith(("/api/v1/invoices", "/api/v1/paper-vouchers")) for p in deleting)
    assert [p for p in deleting if p.startswith("/api/v1/archive")] == [
        "/api/v1/archive/records/{record_id}"
    ]


def test_a_paper_voucher_is_archived_with_its_scan_and_where_the_original_is_kept(
    client: TestClient, session: Session, settings: Settings
):
    office = make_office(session)
    body = {
        "serial_number": "A12345678", "e_ticket_number": "E123456789012345678901",
        "travel_date": "2025-09-12", "train_number": "G7", "departure_station": "北京南",
        "arrival_station": "上海虹桥", "seat_class": "二等座", "fare": "553.00",
        "passenger_name": "张三", "passenger_id_masked": "1101011990****1234",
    }  # fmt: skip
    employee, finance = office.headers["employee"], office.headers["finance"]
    paper = client.post("/api/v1/paper-vouchers", json=body, headers=employee).json()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    scan = client.post(f"/api/v1/paper-vouchers/{paper['id']}/scan",
                       files={"file": ("s.png", png)}, headers=employee)  # fmt: skip
    assert scan.status_code == 200, scan.text
    receipt = {"received_on": "2026-11-01", "location": "财务室 A-3 档案柜"}
    received = client.post(f"/api/v1/paper-vouchers/{paper['id']}/receive", json=receipt,
                           headers=finance)  # fmt: skip
    assert received.status_code == 200, received.text
    claim = approved_claim(client, office, [{"paper_voucher_id": paper["id"]}])
    booked = client.post(f"/api/v1/claims/{claim['id']}/book",
                         json={"booking_date": "2026-11-20"}, headers=finance)  # fmt: skip
    assert booked.status_code == 200, booked.text

    (record,) = records(session)
    files = files_of(session, record)
    store = LocalFileStore(settings.storage_dir)
    assert store.get(files["paper/A12345678/scan.png"].sha256) == png
    registered = json.loads(store.get(files["paper/A12345678/paper-voucher.json"].sha256))
    assert registered["original_location"] == "财务室 A-3 档案柜"
    assert registered["original_received_on"] == "2026-11-01"
    metadata = json.loads(store.get(files["metadata.json"].sha256))
    assert metadata["documents"][0]["original_location"] == "财务室 A-3 档案柜"
    assert "财务室 A-3 档案柜" in store.get(files["report.html"].sha256).decode()


def test_a_record_is_purged_only_as_sealed_never_on_an_edited_retention(
    client: TestClient, session: Session
):
    booked_claim(client, session)
    (record,) = records(session)
    admin = bearer(session, make_user(session, "admin"))
    drop_archive_triggers(session)
    run_sql(session, "UPDATE archive_record SET retention_until = '2020-12-31'")

    refused = client.delete(f"/api/v1/archive/records/{record.id}", headers=admin)

    assert refused.status_code == 409, refused.text
    assert_problem(refused.json(), 409, "record-not-as-sealed")
    assert len(records(session)) == 1
    # As sealed, the record goes once its real retention has ended.
    run_sql(session, "UPDATE archive_record SET retention_until = '2056-12-31'")
    session.expire_all()
    purge_record(session, record_id=record.id, today=dt.date(2057, 1, 1), actor=None, key=b"k")
    assert records(session) == []
