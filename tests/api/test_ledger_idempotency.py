"""Idempotency-Key on book, pay, reverse, close, reopen and receive: a repeat gets the first
response; the key reused for another request is refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    make_office,
    problem,
    upload_invoice,
)


def _post(
    client: TestClient, office: Office, who: str, url: str, key: str, body: Any = None
) -> Response:
    headers = {**office.headers[who], "Idempotency-Key": key}
    return client.post(f"{API}{url}", json=body, headers=headers)


def _replayed(first: Response, repeat: Response) -> None:
    assert "Idempotent-Replayed" not in first.headers
    assert repeat.headers["Idempotent-Replayed"] == "true"
    assert (repeat.status_code, repeat.json()) == (first.status_code, first.json())
    assert repeat.headers["content-type"] == first.headers["content-type"]


def _voucher_count(client: TestClient, office: Office) -> int:
    return len(client.get(f"{API}/vouchers", headers=office.headers["finance"]).json()["items"])


def test_book_pay_and_reverse_replay_their_first_response(client: TestClient, session: Session):
    office = make_office(session)
    invoice = upload_invoice(client, office, session, fare=Decimal("553.00"))
    claim_id = approved_claim(client, office, [{"invoice_id": invoice["id"]}])["id"]
    book_url, pay_url = f"/claims/{claim_id}/book", f"/claims/{claim_id}/pay"

    first = _post(client, office, "finance", book_url, "book-1", {"booking_date": "2026-11-20"})
    assert first.status_code == 200, first.text
    repeat = _post(client, office, "finance", book_url, "book-1", {"booking_date": "2026-11-20"})
    _replayed(first, repeat)
    assert _voucher_count(client, office) == 1
    other = _post(client, office, "finance", book_url, "book-1", {"booking_date": "2026-11-21"})
    problem(other, 422, "idempotency-key-reused")
    # The same key on another endpoint is another request too.
    payment = {"paid_on": "2026-11-25", "reference": "BANK-1"}
    problem(
        _post(client, office, "finance", pay_url, "book-1", payment), 422, "idempotency-key-reused"
    )

    first = _post(client, office, "finance2", pay_url, "pay-1", payment)
    assert first.status_code == 200, first.text
    _replayed(first, _post(client, office, "finance2", pay_url, "pay-1", payment))
    changed = {**payment, "reference": "BANK-2"}
    problem(
        _post(client, office, "finance2", pay_url, "pay-1", changed), 422, "idempotency-key-reused"
    )
    assert _voucher_count(client, office) == 2

    booking_id = first.json()["voucher_ids"][0]
    reverse_url = f"/vouchers/{booking_id}/reverse"
    reversal = {"reversal_date": "2026-11-28", "reason": "录错"}
    first = _post(client, office, "finance", reverse_url, "rev-1", reversal)
    assert first.status_code == 201, first.text
    _replayed(first, _post(client, office, "finance", reverse_url, "rev-1", reversal))
    assert _voucher_count(client, office) == 3
    changed = {**reversal, "reason": "另一理由"}
    problem(
        _post(client, office, "finance", reverse_url, "rev-1", changed),
        422,
        "idempotency-key-reused",
    )


def test_close_reopen_and_receive_replay_and_a_refusal_replays_too(
    client: TestClient, session: Session
):
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim_id = approved_claim(client, office, [{"invoice_id": invoice["id"]}])["id"]

    first = _post(client, office, "finance", "/periods/2026-10/close", "close-1")
    assert first.status_code == 200, first.text
    # Not 409 "already closed": the repeat answers what the first request answered.
    _replayed(first, _post(client, office, "finance", "/periods/2026-10/close", "close-1"))
    problem(
        _post(
            client,
            office,
            "finance",
            f"/periods/2026-10/close?entity={office.entity.id}",
            "close-1",
        ),
        422,
        "idempotency-key-reused",
    )

    # A refusal is a response too: its repeat replays the refusal, even after the cause is gone.
    book_url, booking = f"/claims/{claim_id}/book", {"booking_date": "2026-10-31"}
    refused = _post(client, office, "finance", book_url, "book-oct", booking)
    problem(refused, 409, "period-closed")

    first = _post(client, office, "admin", "/periods/2026-10/reopen", "reopen-1")
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "open"
    _replayed(first, _post(client, office, "admin", "/periods/2026-10/reopen", "reopen-1"))

    _replayed(refused, _post(client, office, "finance", book_url, "book-oct", booking))
    assert _voucher_count(client, office) == 0
    booked = _post(client, office, "finance", book_url, "book-oct-again", booking)
    assert booked.status_code == 200, booked.text

    paper = client.post(
        f"{API}/paper-vouchers",
        json={
            "serial_number": "PI0000001",
            "e_ticket_number": "EPI00000010000",
            "travel_date": "2025-09-01",
            "train_number": "D3",
            "departure_station": "上海",
            "arrival_station": "杭州东",
            "seat_class": "二等座",
            "fare": "73.00",
            "passenger_name": "张三",
            "passenger_id_masked": "1101011990****1234",
        },
        headers=office.headers["employee"],
    ).json()
    receive_url = f"/paper-vouchers/{paper['id']}/receive"
    receipt = {"received_on": "2026-11-02", "location": "档案柜 B-1"}
    first = _post(client, office, "finance", receive_url, "recv-1", receipt)
    assert first.status_code == 200, first.text
    assert first.json()["received_on"] == "2026-11-02"
    _replayed(first, _post(client, office, "finance", receive_url, "recv-1", receipt))
    moved = {**receipt, "location": "档案柜 C-9"}
    problem(
        _post(client, office, "finance", receive_url, "recv-1", moved),
        422,
        "idempotency-key-reused",
    )
    current = client.get(f"{API}/paper-vouchers/{paper['id']}", headers=office.headers["finance"])
    assert current.json()["location"] == "档案柜 B-1"


def test_an_empty_key_is_a_bad_header_not_a_reused_key(client: TestClient, session: Session):
    office = make_office(session)

    response = _post(client, office, "finance", "/periods/2026-10/close", "")

    body = problem(response, 422, "validation-error")
    assert body["errors"][0]["field"] == "Idempotency-Key"
