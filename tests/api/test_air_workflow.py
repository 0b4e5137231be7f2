"""The whole workflow for a claim holding a train and a flight: upload, claim, approve, book,
pay, archive export and verify, on both engines; and the seal covers an itinerary's own fields."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import bagit
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.air_support import AirFiles
from tests.api.archive_helpers import bag_info, export, failures, unzip, verify
from tests.api.ledger_helpers import API, Office, lines_by_account, make_office, upload_invoice
from tests.api.test_archive_content_seal import act_as_superuser, row_id
from tests.api.test_audit import run_sql
from tests.factories import bearer, make_user


def _mixed_claim_paid(
    client: TestClient, session: Session, air_files: AirFiles
) -> tuple[Office, dict[str, str], dict[str, str], dict[str, str]]:
    office = make_office(session)
    employee, finance = office.headers["employee"], office.headers["finance"]
    train = upload_invoice(
        client,
        office,
        session,
        fare=Decimal("553.00"),
        amount_excluding_tax=Decimal("507.34"),
        tax_amount=Decimal("45.66"),
    )
    flight = air_files.upload(client, session, office)
    created = client.post(
        f"{API}/claims",
        json={
            "title": "北京出差",
            "purpose": "去程高铁，回程飞机",
            "items": [{"invoice_id": train["id"]}, {"invoice_id": flight["id"]}],
        },
        headers=employee,
    )
    assert created.status_code == 201, created.text
    claim = created.json()
    assert claim["total"] == "1033.00"
    steps = [
        ("submit", employee, None),
        ("approve", office.headers["manager"], {"acknowledge_warnings": True}),
        ("book", finance, {"booking_date": "2026-11-20"}),
        ("pay", office.headers["finance2"], {"paid_on": "2026-11-21", "reference": "BANK-7"}),
    ]
    for action, headers, body in steps:
        done = client.post(f"{API}/claims/{claim['id']}/{action}", json=body, headers=headers)
        assert done.status_code == 200, (action, done.text)
    assert done.json()["state"] == "paid"
    auditor = bearer(session, make_user(session, "auditor", entity=office.entity))
    return office, auditor, train, flight


def test_a_train_and_a_flight_from_upload_to_verified_archive(
    client: TestClient, session: Session, air_files: AirFiles, tmp_path: Path
):
    office, auditor, train, flight = _mixed_claim_paid(client, session, air_files)
    vouchers = client.get(f"{API}/vouchers", headers=office.headers["finance"]).json()["items"]
    booking = next(v for v in vouchers if v["kind"] == "booking")
    assert lines_by_account(booking) == {
        "6602.03": Decimal("951.84"),  # 507.34 + (480.00 − 35.50)
        "2221.01.01": Decimal("81.16"),  # 45.66 + 35.50
        "2241": Decimal("-1033.00"),
    }
    for invoice in (train, flight):
        read = client.get(f"{API}/invoices/{invoice['id']}", headers=office.headers["finance"])
        assert read.json()["status"] == "booked"

    bag_dir = unzip(export(client, auditor), tmp_path)
    bagit.Bag(str(bag_dir)).validate()
    assert bag_info(bag_dir)["Invoice-Count"] == "2"
    with (bag_dir / "index.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["row_type"] == "invoice"]
    by_number = {r["document_number"]: r for r in rows}
    air_row = by_number[flight["invoice_number"]]
    assert (air_row["travel_kind"], air_row["flight_number"]) == ("air", "CA1831")
    assert (air_row["train_number"], air_row["total_amount"], air_row["amount"]) == (
        "",
        "480.00",
        "330.28",
    )
    rail_row = by_number[train["invoice_number"]]
    assert (rail_row["travel_kind"], rail_row["total_amount"]) == ("railway", "553.00")
    assert rail_row["train_number"] == train["train_number"]

    # The booking's folder holds the invoices; the payment's folder beside it holds none, and
    # the directory order differs between filesystems and engines.
    folder = next(p for p in (bag_dir / "data").iterdir() if (p / "invoices").is_dir())
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    documents = {d["invoice_number"]: d for d in metadata["documents"]}
    air_doc = documents[flight["invoice_number"]]
    assert (air_doc["kind"], air_doc["total_amount"], air_doc["civil_aviation_fund"]) == (
        "air",
        "480.00",
        "50.00",
    )
    assert air_doc["segments"][0]["flight_number"] == "CA1831"
    assert documents[train["invoice_number"]]["kind"] == "railway"
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "电子发票（航空运输电子客票行程单）" in report
    assert "CA1831" in report
    assert "人民币壹仟零叁拾叁元整" in report

    checked = verify(client, auditor)
    assert checked["ok"] is True, checked["failures"]


def test_an_itinerarys_segments_or_kind_rewritten_fail_verify(
    client: TestClient, session: Session, air_files: AirFiles
):
    _office, auditor, _train, flight = _mixed_claim_paid(client, session, air_files)
    assert verify(client, auditor)["ok"] is True
    act_as_superuser(session)
    run_sql(
        session,
        "UPDATE invoice SET segments = :s WHERE id = :i",
        s=json.dumps([{"flight_number": "CA9999", "cabin": "Y"}]),
        i=row_id(session, flight["id"]),
    )
    body = verify(client, auditor)
    assert ("content-seal", f"invoice {flight['invoice_number']}") in failures(body)
