"""Arranging archived vouchers for archive tests: a booked (and optionally paid) claim."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.archive.models import ArchiveFile, ArchiveRecord
from app.config import Settings
from app.storage import LocalFileStore
from tests.api.ledger_helpers import Office, approved_claim, make_office, upload_invoice
from tests.factories import bearer, make_user


@dataclass
class Archived:
    office: Office
    claim_id: str
    invoice: dict[str, Any]
    auditor: dict[str, str]


def booked_claim(client: TestClient, session: Session, *, pay: bool = False) -> Archived:
    office = make_office(session)
    invoice = upload_invoice(
        client,
        office,
        session,
        fare=Decimal("553.00"),
        amount_excluding_tax=Decimal("507.34"),
        tax_amount=Decimal("45.66"),
    )
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    booked = client.post(
        f"/api/v1/claims/{claim['id']}/book",
        json={"booking_date": "2026-11-20"},
        headers=office.headers["finance"],
    )
    assert booked.status_code == 200, booked.text
    if pay:
        paid = client.post(
            f"/api/v1/claims/{claim['id']}/pay",
            json={"paid_on": "2026-11-21", "reference": "BANK-1"},
            headers=office.headers["finance2"],
        )
        assert paid.status_code == 200, paid.text
    auditor = bearer(session, make_user(session, "auditor", entity=office.entity))
    return Archived(office, claim["id"], invoice, auditor)


def records(session: Session) -> list[ArchiveRecord]:
    session.commit()  # a fresh snapshot: the app wrote through its own connections
    statement = select(ArchiveRecord).order_by(
        col(ArchiveRecord.period), col(ArchiveRecord.voucher_number)
    )
    return list(session.exec(statement.execution_options(populate_existing=True)).all())


def files_of(session: Session, record: ArchiveRecord) -> dict[str, ArchiveFile]:
    rows = session.exec(select(ArchiveFile).where(ArchiveFile.record_id == record.id)).all()
    return {row.path: row for row in rows}


def stored_path(settings: Settings, sha256: str) -> Path:
    return LocalFileStore(settings.storage_dir).path_for(sha256)


def flip_byte(settings: Settings, sha256: str) -> None:
    path = stored_path(settings, sha256)
    os.chmod(path, 0o644)  # stored files are read-only (0444)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def export(client: TestClient, headers: dict[str, str], **params: str) -> bytes:
    query = {"from": "2026-01", "to": "2026-12"} | params
    response = client.get("/api/v1/archive/export", params=query, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return response.content


def unzip(data: bytes, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(target)
    return target / "bag"


def bag_info(bag: Path) -> dict[str, str]:
    lines = (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


def verify(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/archive/verify", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is (body["failures"] == [])
    return body


def failures(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["check"], f["object"]) for f in body["failures"]}


PAPER_VOUCHER = {
    "serial_number": "A12345678", "e_ticket_number": "E123456789012345678901",
    "travel_date": "2025-09-12", "train_number": "G7", "departure_station": "北京南",
    "arrival_station": "上海虹桥", "seat_class": "二等座", "fare": "553.00",
    "passenger_name": "张三", "passenger_id_masked": "1101011990****1234",
}  # fmt: skip


def booked_paper_claim(client: TestClient, session: Session) -> Archived:
    """A claim of one paper voucher (original received, no scan), booked."""
    office = make_office(session)
    employee, finance = office.headers["employee"], office.headers["finance"]
    paper = client.post("/api/v1/paper-vouchers", json=PAPER_VOUCHER, headers=employee).json()
    receipt = {"received_on": "2026-11-01", "location": "财务室 A-3 档案柜"}
    received = client.post(
        f"/api/v1/paper-vouchers/{paper['id']}/receive", json=receipt, headers=finance
    )
    assert received.status_code == 200, received.text
    claim = approved_claim(client, office, [{"paper_voucher_id": paper["id"]}])
    booked = client.post(
        f"/api/v1/claims/{claim['id']}/book", json={"booking_date": "2026-11-20"}, headers=finance
    )
    assert booked.status_code == 200, booked.text
    auditor = bearer(session, make_user(session, "auditor", entity=office.entity))
    return Archived(office, claim["id"], paper, auditor)
