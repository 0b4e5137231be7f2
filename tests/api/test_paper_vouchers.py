"""Paper vouchers: the transition rule, ticket conflicts with e-invoices in both orders, scans."""

from __future__ import annotations

import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, func, select

from app.invoices.models import Invoice, PaperVoucher
from railclaim_devkit.synthetic import red_letter_of, render_pdf
from tests.api.archive_helpers import booked_paper_claim
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user


def voucher_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "serial_number": "A12345678",
        "e_ticket_number": "E123456789012345678901",
        "travel_date": "2025-09-30",
        "train_number": "G1",
        "departure_station": "北京南站",
        "arrival_station": "上海虹桥",
        "seat_class": "二等座",
        "fare": "553.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }
    body.update(overrides)
    return body


@pytest.fixture
def world(session: Session):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    return entity, employee, bearer(session, employee)


def rows(session: Session, model: type) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(model)).one()


def test_register_a_voucher(client: TestClient, session: Session, world):
    entity, employee, headers = world
    response = client.post("/api/v1/paper-vouchers", json=voucher_body(), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["departure_station"] == "北京南"
    assert body["fare"] == "553.00"
    assert body["owner"] == str(employee.id)
    assert body["entity"] == str(entity.id)
    assert body["status"] == "available"
    assert body["received_on"] is None
    assert body["warnings"] == []


def test_travel_after_the_transition_is_refused(client: TestClient, session: Session, world):
    _entity, _employee, headers = world
    response = client.post(
        "/api/v1/paper-vouchers", json=voucher_body(travel_date="2025-10-01"), headers=headers
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/paper-after-transition"
    assert rows(session, PaperVoucher) == 0


def test_e_invoice_first_then_paper_conflicts(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    created = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", render_pdf(spec))}, headers=headers
    ).json()
    response = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(e_ticket_number=spec.e_ticket_number),
        headers=headers,
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/ticket-already-claimed"
    assert response.json()["existing_invoice_id"] == created["id"]
    assert rows(session, PaperVoucher) == 0


def test_paper_first_then_e_invoice_conflicts(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    paper = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(e_ticket_number=spec.e_ticket_number),
        headers=headers,
    ).json()
    response = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", render_pdf(spec))}, headers=headers
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/ticket-already-claimed"
    assert response.json()["existing_paper_voucher_id"] == paper["id"]
    assert rows(session, Invoice) == 0


def test_a_voided_e_invoice_frees_its_ticket(client: TestClient, session: Session, world):
    entity, employee, headers = world
    spec = invoice_spec(entity, passenger=employee, session=session)
    for data in (render_pdf(spec), render_pdf(red_letter_of(spec, random.Random(1)))):
        client.post("/api/v1/invoices", files={"file": ("x.pdf", data)}, headers=headers)
    response = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(e_ticket_number=spec.e_ticket_number),
        headers=headers,
    )
    assert response.status_code == 201, response.text


def test_duplicates(client: TestClient, world):
    _entity, _employee, headers = world
    assert (
        client.post("/api/v1/paper-vouchers", json=voucher_body(), headers=headers).status_code
        == 201
    )
    same_serial = client.post(
        "/api/v1/paper-vouchers", json=voucher_body(e_ticket_number="E999999999"), headers=headers
    )
    assert same_serial.status_code == 409
    assert same_serial.json()["type"] == "/problems/duplicate-paper-voucher"
    # The serial as printed is capitals; typed in small letters it is the same voucher.
    same_in_small_letters = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(serial_number="a12345678", e_ticket_number="E888888888"),
        headers=headers,
    )
    assert same_in_small_letters.status_code == 409
    assert same_in_small_letters.json()["type"] == "/problems/duplicate-paper-voucher"
    same_ticket = client.post(
        "/api/v1/paper-vouchers", json=voucher_body(serial_number="B7654321"), headers=headers
    )
    assert same_ticket.status_code == 409
    assert same_ticket.json()["type"] == "/problems/ticket-already-claimed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fare": "-1.00"}, "fare"),
        ({"fare": "1.234"}, "fare"),
        ({"fare": 1e300}, "fare"),
        ({"train_number": "高铁1"}, "train_number"),
        ({"seat_class": "头等舱"}, "seat_class"),
        ({"passenger_id_masked": "110101199001011234"}, "passenger_id_masked"),
        ({"travel_date": "2025-02-30"}, "travel_date"),
        ({"serial_number": "../../etc"}, "serial_number"),
        ({"departure_station": ""}, "departure_station"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_bodies_name_the_field(
    client: TestClient, world, overrides: dict[str, Any], field: str
):
    _entity, _employee, headers = world
    response = client.post(
        "/api/v1/paper-vouchers", json=voucher_body(**overrides), headers=headers
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_scan_and_receipt(client: TestClient, session: Session, world):
    entity, _employee, headers = world
    voucher = client.post("/api/v1/paper-vouchers", json=voucher_body(), headers=headers).json()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    scanned = client.post(
        f"/api/v1/paper-vouchers/{voucher['id']}/scan",
        files={"file": ("s.png", png)},
        headers=headers,
    )
    assert scanned.status_code == 200
    assert scanned.json()["scan"]["content_type"] == "image/png"
    assert client.get(scanned.json()["scan"]["url"], headers=headers).content == png
    text = client.post(
        f"/api/v1/paper-vouchers/{voucher['id']}/scan",
        files={"file": ("s.txt", b"hello")},
        headers=headers,
    )
    assert text.status_code == 415
    assert text.json()["type"] == "/problems/unsupported-format"
    receipt = {"received_on": "2025-10-08", "location": "财务室 A-3 档案柜"}
    refused = client.post(
        f"/api/v1/paper-vouchers/{voucher['id']}/receive", json=receipt, headers=headers
    )
    assert refused.status_code == 403
    finance = bearer(session, make_user(session, "finance", entity=entity))
    received = client.post(
        f"/api/v1/paper-vouchers/{voucher['id']}/receive", json=receipt, headers=finance
    )
    assert received.status_code == 200
    assert received.json()["location"] == "财务室 A-3 档案柜"
    waiting = client.get("/api/v1/paper-vouchers", params={"received": False}, headers=finance)
    assert waiting.json()["items"] == []
    done = client.get("/api/v1/paper-vouchers", params={"received": True}, headers=finance)
    assert [v["id"] for v in done.json()["items"]] == [voucher["id"]]


def test_visibility_and_finance_registration(client: TestClient, session: Session, world):
    entity, employee, headers = world
    voucher = client.post("/api/v1/paper-vouchers", json=voucher_body(), headers=headers).json()
    colleague = make_employee(session, entity, name="王五", last4="5555")
    hidden = client.get(
        f"/api/v1/paper-vouchers/{voucher['id']}", headers=bearer(session, colleague)
    )
    assert hidden.status_code == 404
    finance = bearer(session, make_user(session, "finance", entity=entity))
    matched = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(serial_number="C1234567", e_ticket_number="E55555555"),
        headers=finance,
    )
    assert matched.status_code == 201
    assert matched.json()["owner"] == str(employee.id)
    unknown = client.post(
        "/api/v1/paper-vouchers",
        json=voucher_body(
            serial_number="D1234567", e_ticket_number="E66666666", passenger_name="无名氏"
        ),
        headers=finance,
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "owner"


def test_a_booked_vouchers_receipt_stays_as_archived(client: TestClient, session: Session):
    archived = booked_paper_claim(client, session)
    finance, paper_id = archived.office.headers["finance"], archived.invoice["id"]

    moved = client.post(
        f"/api/v1/paper-vouchers/{paper_id}/receive",
        json={"received_on": "2026-11-25", "location": "别处"},
        headers=finance,
    )

    assert moved.status_code == 409, moved.text
    voucher = client.get(f"/api/v1/paper-vouchers/{paper_id}", headers=finance).json()
    assert (voucher["received_on"], voucher["location"]) == ("2026-11-01", "财务室 A-3 档案柜")


def test_a_receipt_waits_for_a_booking_of_its_claim(client: TestClient, session: Session):
    # On PostgreSQL a receive racing the booking changed the location after the booking had
    # archived it: the receive now locks the claim that holds the voucher, as the booking
    # does, so one runs after the other (SQLite's write lock at BEGIN serialises both anyway).
    archived = booked_paper_claim(client, session)
    finance, paper_id = archived.office.headers["finance"], archived.invoice["id"]
    statements: list[str] = []
    engine = client.app.state.engine  # type: ignore[attr-defined]

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.post(
            f"/api/v1/paper-vouchers/{paper_id}/receive",
            json={"received_on": "2026-11-25", "location": "别处"},
            headers=finance,
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    locking = [s for s in statements if "FROM claim JOIN claim_item" in s.replace('"', "")]
    assert locking, statements
    if engine.dialect.name == "postgresql":
        assert "FOR UPDATE OF claim" in locking[0].replace('"', "")
