"""Booking and paying a claim end to end: the voucher lines, numbers and segregation of duties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.kit.dates import business_today
from tests.api.ledger_helpers import approved_claim, lines_by_account, make_office, upload_invoice


def test_book_then_pay_a_claim(client: TestClient, session: Session):
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
    assert booked.json()["state"] == "booked"
    vouchers = client.get(
        "/api/v1/vouchers", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()["items"]
    assert len(vouchers) == 1
    voucher = vouchers[0]
    assert voucher["number"] == "记-2026-11-0001"
    assert voucher["kind"] == "booking"
    assert voucher["total"] == "553.00"
    assert voucher["total_in_words"] == "人民币伍佰伍拾叁元整"
    assert lines_by_account(voucher) == {
        "6602.03": Decimal("507.34"),
        "2221.01.01": Decimal("45.66"),
        "2241": Decimal("-553.00"),
    }
    invoice_now = client.get(f"/api/v1/invoices/{invoice['id']}", headers=office.headers["finance"])
    assert invoice_now.json()["status"] == "booked"

    same_person = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-21", "reference": "BANK-1"},
        headers=office.headers["finance"],
    )
    assert same_person.status_code == 403
    assert same_person.json()["type"] == "/problems/segregation-of-duties"
    paid = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-21", "reference": "BANK-1"},
        headers=office.headers["finance2"],
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["state"] == "paid"
    payment = next(
        v
        for v in client.get("/api/v1/vouchers", headers=office.headers["finance"]).json()["items"]
        if v["kind"] == "payment"
    )
    assert payment["number"] == "记-2026-11-0002"
    assert lines_by_account(payment) == {"2241": Decimal("553.00"), "1002": Decimal("-553.00")}


def test_closed_period_refuses_booking(client: TestClient, session: Session):
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    closed = client.post("/api/v1/periods/2026-10/close", headers=office.headers["finance"])
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    refused = client.post(
        f"/api/v1/claims/{claim['id']}/book",
        json={"booking_date": "2026-10-31"},
        headers=office.headers["finance"],
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/period-closed"
    assert (
        client.get(f"/api/v1/claims/{claim['id']}", headers=office.headers["finance"]).json()[
            "state"
        ]
        == "approved"
    )


@pytest.mark.parametrize(
    "booking_date",
    [0, 1_700_000_000, "2026-11-20T00:00:00", "20261120", "2024-10-31", "1970-01-01",
     "2999-12-31", f"{business_today().year + 2}-01-01"],
)  # fmt: skip
def test_a_booking_date_is_a_day_of_the_e_invoice_era_written_yyyy_mm_dd(
    client: TestClient, session: Session, booking_date: object
):
    # A number read as seconds since 1970 once booked into 1970-01, whose archive retention
    # (the voucher's year + 30) had run out the day it was booked.
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])

    refused = client.post(
        f"/api/v1/claims/{claim['id']}/book",
        json={"booking_date": booking_date},
        headers=office.headers["finance"],
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"].endswith("booking_date"), refused.json()
    assert client.get("/api/v1/vouchers", headers=office.headers["finance"]).json()["items"] == []


def booked_on_20_november(
    client: TestClient, session: Session
) -> tuple[dict[str, Any], str, dict[str, str], dict[str, str]]:
    """A claim of one invoice booked on 2026-11-20: the claim, its booking voucher's id, and
    the headers of the clerk who booked it and of the cashier who may pay it."""
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    finance, cashier = office.headers["finance"], office.headers["finance2"]
    booked = client.post(
        f"/api/v1/claims/{claim['id']}/book", json={"booking_date": "2026-11-20"}, headers=finance
    )
    assert booked.status_code == 200, booked.text
    (booking_id,) = booked.json()["voucher_ids"]
    return claim, booking_id, finance, cashier


def test_a_claim_whose_booking_was_reversed_is_not_paid(client: TestClient, session: Session):
    claim, booking_id, finance, cashier = booked_on_20_november(client, session)
    reversed_ = client.post(
        f"/api/v1/vouchers/{booking_id}/reverse", json={"reason": "wrong claim"}, headers=finance
    )
    assert reversed_.status_code == 201, reversed_.text

    paid = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-21", "reference": "BANK-1"},
        headers=cashier,
    )

    assert paid.status_code == 409, paid.text
    assert paid.json()["type"] == "/problems/invalid-state"
    assert reversed_.json()["number"] in paid.json()["detail"]
    kinds = [v["kind"] for v in client.get("/api/v1/vouchers", headers=finance).json()["items"]]
    assert sorted(kinds) == ["booking", "reversal"]


def test_a_payment_is_not_dated_before_its_booking(client: TestClient, session: Session):
    claim, _booking_id, finance, cashier = booked_on_20_november(client, session)

    early = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": "2026-10-31", "reference": "BANK-1"},
        headers=cashier,
    )

    assert early.status_code == 422, early.text
    [error] = early.json()["errors"]
    assert error["field"] == "paid_on"
    assert error["code"] == "paid_before_booking"
    assert "2026-11-20" in error["message"]
    vouchers = client.get("/api/v1/vouchers", headers=finance).json()["items"]
    assert [v["kind"] for v in vouchers] == ["booking"]
    same_day = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-20", "reference": "BANK-1"},
        headers=cashier,
    )
    assert same_day.status_code == 200, same_day.text
    assert same_day.json()["state"] == "paid"


def test_payment_and_reversal_dates_are_at_most_next_year(client: TestClient, session: Session):
    claim, voucher_id, finance, cashier = booked_on_20_november(client, session)
    too_far = f"{business_today().year + 2}-01-01"

    paid = client.post(
        f"/api/v1/claims/{claim['id']}/pay",
        json={"paid_on": too_far, "reference": "BANK-1"},
        headers=cashier,
    )
    assert paid.status_code == 422, paid.text
    assert paid.json()["errors"][0]["field"].endswith("paid_on")
    reversed_ = client.post(
        f"/api/v1/vouchers/{voucher_id}/reverse",
        json={"reversal_date": too_far, "reason": "typo"},
        headers=finance,
    )
    assert reversed_.status_code == 422, reversed_.text
    assert reversed_.json()["errors"][0]["field"].endswith("reversal_date")
