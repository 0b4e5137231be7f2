"""Booking flights: the stated tax deducted, 合计 payable, fund and other taxes in the expense,
and the input-VAT report's 铁路 and 航空 rows."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.air_support import AirFiles
from tests.api.ledger_helpers import (
    API,
    approved_claim,
    booked_voucher,
    line_amounts,
    lines_by_account,
    make_office,
    upload_invoice,
)


def test_a_flight_books_as_computed_by_hand(
    client: TestClient, session: Session, air_files: AirFiles
):
    office = make_office(session)
    flight = air_files.upload(client, session, office)
    claim = approved_claim(client, office, [{"invoice_id": flight["id"]}])
    voucher = booked_voucher(client, office, claim["id"])
    # 合计 480.00 = 票价 330.28 + 燃油 64.22 + 税 35.50 + 基金 50.00: the fund stays in the expense.
    assert line_amounts(voucher) == [
        ("6602.03", "444.50", "0.00"),
        ("2221.01.01", "35.50", "0.00"),
        ("2241", "0.00", "480.00"),
    ]
    assert voucher["total"] == "480.00"
    assert voucher["total_in_words"] == "人民币肆佰捌拾元整"
    assert "CA1831" in voucher["lines"][0]["memo"]
    assert voucher["lines"][1]["invoice_id"] == flight["id"]


def test_a_train_and_a_flight_in_one_voucher(
    client: TestClient, session: Session, air_files: AirFiles
):
    office = make_office(session)
    train = upload_invoice(client, office, session, fare=Decimal("553.00"))
    flight = air_files.upload(client, session, office)
    claim = approved_claim(
        client, office, [{"invoice_id": train["id"]}, {"invoice_id": flight["id"]}]
    )
    voucher = booked_voucher(client, office, claim["id"])
    assert lines_by_account(voucher) == {
        "6602.03": Decimal("507.34") + Decimal("444.50"),
        "2221.01.01": Decimal("45.66") + Decimal("35.50"),
        "2241": Decimal("-1033.00"),
    }


def test_a_guests_flight_deducts_nothing(client: TestClient, session: Session, air_files: AirFiles):
    office = make_office(session)
    flight = air_files.upload(client, session, office, passenger_name="外部嘉宾")
    item = {"invoice_id": flight["id"], "justification": "客户随行"}
    claim = approved_claim(client, office, [item])
    voucher = booked_voucher(client, office, claim["id"])
    assert line_amounts(voucher) == [("6602.03", "480.00", "0.00"), ("2241", "0.00", "480.00")]


def test_a_paper_itinerary_deducts_nine_percent_of_fare_and_fuel(
    client: TestClient, session: Session
):
    office = make_office(session)
    body = {
        "kind": "air",
        "serial_number": "X20250920001",
        "e_ticket_number": "7841234567890",
        "travel_date": "2025-09-20",
        "flight_number": "MU5101",
        "departure_station": "上海虹桥",
        "arrival_station": "北京首都",
        "seat_class": "Y",
        "fare": "700.00",
        "fuel_surcharge": "60.00",
        "civil_aviation_fund": "50.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }
    paper = client.post(f"{API}/paper-vouchers", json=body, headers=office.headers["employee"])
    assert paper.status_code == 201, paper.text
    received = client.post(
        f"{API}/paper-vouchers/{paper.json()['id']}/receive",
        json={"received_on": "2026-11-19", "location": "档案柜 A-1"},
        headers=office.headers["finance"],
    )
    assert received.status_code == 200, received.text
    claim = approved_claim(client, office, [{"paper_voucher_id": paper.json()["id"]}])
    voucher = booked_voucher(client, office, claim["id"])
    # (700.00 + 60.00) ÷ 1.09 × 9 % = 62.7523 → 62.75; 合计 810.00 with the fund.
    assert line_amounts(voucher) == [
        ("6602.03", "747.25", "0.00"),
        ("2221.01.01", "62.75", "0.00"),
        ("2241", "0.00", "810.00"),
    ]
    assert "MU5101" in voucher["lines"][0]["memo"]
    report = client.get(
        f"{API}/reports/input-vat", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()
    assert "rows" in report, report
    air = next(r for r in report["rows"] if r["kind"] == "air")
    assert air["paper_vouchers"] == {"count": 1, "fare": "760.00", "tax": "62.75"}


def test_the_input_vat_report_shows_rail_and_air_apart(
    client: TestClient, session: Session, air_files: AirFiles
):
    office = make_office(session)
    train = upload_invoice(client, office, session, fare=Decimal("553.00"))
    flight = air_files.upload(client, session, office)
    claim = approved_claim(
        client, office, [{"invoice_id": train["id"]}, {"invoice_id": flight["id"]}]
    )
    booked_voucher(client, office, claim["id"])
    for invoice in (train, flight):
        confirmed = client.post(
            f"{API}/invoices/{invoice['id']}/deduction-confirmation",
            json={"confirmed_on": "2026-11-20"},
            headers=office.headers["finance"],
        )
        assert confirmed.status_code == 200, confirmed.text
    report = client.get(
        f"{API}/reports/input-vat", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()
    none = {"count": 0, "fare": "0.00", "tax": "0.00"}
    assert report["rows"] == [
        {
            "kind": "railway",
            "label": "铁路",
            "e_invoices": {"count": 1, "fare": "553.00", "tax": "45.66"},
            "paper_vouchers": none,
            "total": {"count": 1, "fare": "553.00", "tax": "45.66"},
        },
        {
            "kind": "air",
            "label": "航空",
            "e_invoices": {"count": 1, "fare": "394.50", "tax": "35.50"},
            "paper_vouchers": none,
            "total": {"count": 1, "fare": "394.50", "tax": "35.50"},
        },
    ]
    assert report["e_invoices"] == {"count": 2, "fare": "947.50", "tax": "81.16"}
    assert report["total"] == report["e_invoices"]
