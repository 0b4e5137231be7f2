"""Concurrent bookings against a real server on PostgreSQL: gap-free numbers, one per claim."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.config import Settings
from app.ledger.models import JournalVoucher, Period
from tests.api.ledger_helpers import Office, approved_claim, make_office, upload_invoice

CLAIMS = 20
RACES = 3
# Each wait is an Event.wait that returns as soon as the server is up.
STARTUP_POLLS, POLL_SECONDS = 400, 0.025


@pytest.fixture
def live_server(app: FastAPI, settings: Settings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a background thread."""
    if settings.is_sqlite:
        pytest.skip(
            "booking races run on PostgreSQL: SQLite takes its write lock at BEGIN, so its "
            "bookings never overlap and there is no race to lose"
        )
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="ledger-live-server", daemon=True)
    thread.start()
    tick = threading.Event()
    for _ in range(STARTUP_POLLS):
        if server.started or not thread.is_alive():
            break
        tick.wait(POLL_SECONDS)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def book_all_at_once(
    base_url: str, headers: dict[str, str], claim_ids: list[str]
) -> list[httpx.Response]:
    """One thread and connection per booking; a barrier releases them together."""
    barrier = threading.Barrier(len(claim_ids))
    responses: list[httpx.Response | BaseException | None] = [None] * len(claim_ids)

    def send(index: int, claim_id: str) -> None:
        try:
            with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:
                barrier.wait(timeout=60)
                responses[index] = http.post(
                    f"/api/v1/claims/{claim_id}/book", json={"booking_date": "2026-11-20"}
                )
        except BaseException as exc:  # surfaced below, in the test's own thread
            responses[index] = exc

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(claim_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    failures = [r for r in responses if not isinstance(r, httpx.Response)]
    assert failures == [], failures
    return [r for r in responses if isinstance(r, httpx.Response)]


def _approved(client: TestClient, office: Office, session: Session) -> str:
    invoice = upload_invoice(client, office, session, fare=Decimal("9.50"))
    return str(approved_claim(client, office, [{"invoice_id": invoice["id"]}])["id"])


def _vouchers(session: Session, office: Office) -> list[JournalVoucher]:
    session.commit()
    return list(
        session.exec(
            select(JournalVoucher)
            .where(JournalVoucher.entity_id == office.entity.id)
            .order_by(col(JournalVoucher.number))
        ).all()
    )


def test_twenty_claims_booked_at_once_number_1_to_20_without_gaps(
    live_server: str, client: TestClient, session: Session
):
    office = make_office(session)
    claim_ids = [_approved(client, office, session) for _ in range(CLAIMS)]
    responses = book_all_at_once(live_server, office.headers["finance"], claim_ids)
    assert Counter(r.status_code for r in responses) == {200: CLAIMS}, [r.text for r in responses]

    vouchers = _vouchers(session, office)
    assert [v.number for v in vouchers] == list(range(1, CLAIMS + 1))
    assert [v.number_text for v in vouchers] == [f"记-2026-11-{n:04d}" for n in range(1, 21)]
    assert sorted(str(v.claim_id) for v in vouchers) == sorted(claim_ids)
    period = session.get(Period, (office.entity.id, "2026-11"))
    assert period is not None
    assert period.last_number == CLAIMS


def test_one_claim_booked_twice_at_once_gets_one_voucher(
    live_server: str, client: TestClient, session: Session
):
    office = make_office(session)
    for _ in range(RACES):
        claim_id = _approved(client, office, session)
        responses = book_all_at_once(live_server, office.headers["finance"], [claim_id] * 2)
        assert Counter(r.status_code for r in responses) == {200: 1, 409: 1}
        lost = next(r for r in responses if r.status_code == 409)
        assert lost.headers["content-type"] == "application/problem+json"
        assert lost.json()["type"] == "/problems/invalid-state"
        won = next(r for r in responses if r.status_code == 200)
        assert won.json()["state"] == "booked"
        assert len(won.json()["voucher_ids"]) == 1
    vouchers = _vouchers(session, office)
    # One voucher per claim, and the loser of each race took no number.
    assert [v.number for v in vouchers] == list(range(1, RACES + 1))
    assert len({v.claim_id for v in vouchers}) == RACES
