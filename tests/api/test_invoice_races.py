"""Concurrent uploads of one invoice against a real server, and refusals that store nothing."""

from __future__ import annotations

import dataclasses
import random
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.config import Settings
from app.invoices.models import Invoice, InvoiceFile
from railclaim_devkit.synthetic import (
    PdfVariant,
    fee_invoice_for,
    red_letter_of,
    render_ofd,
    render_pdf,
)
from tests.api.test_invoice_upload import stored_files, upload
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user

CLIENTS = 20
# Generous: each wait is an Event.wait that returns at once when the condition holds.
STARTUP_POLLS, POLL_SECONDS = 400, 0.025


def unreferenced_files(session: Session, settings: Settings) -> list[Path]:
    """Stored files no row refers to: orphans a refused or lost race must never leave."""
    session.commit()
    referenced = set(session.exec(select(InvoiceFile.sha256)).all())
    referenced |= {s for s in session.exec(select(Invoice.xbrl_sha256)).all() if s}
    return [p for p in stored_files(settings) if p.name not in referenced]


def count(session: Session, model: type) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(model)).one()


# --- refusals store nothing -------------------------------------------------------------------


def test_a_buyer_mismatch_stores_no_bytes(
    client: TestClient, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    foreign = invoice_spec(make_entity(session))
    response = upload(client, bearer(session, employee), "f.pdf", render_pdf(foreign))
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/buyer-mismatch"
    assert stored_files(settings) == []


def test_a_bad_owner_stores_no_bytes(
    client: TestClient, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    finance = make_user(session, "finance", entity=entity)
    stranger = make_employee(session, make_entity(session), name="李四", last4="4444")
    pdf = render_pdf(invoice_spec(entity))
    response = upload(client, bearer(session, finance), "o.pdf", pdf, owner=str(stranger.id))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"
    assert stored_files(settings) == []


def test_a_duplicate_in_other_bytes_stores_nothing_new(
    client: TestClient, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    assert upload(client, headers, "a.pdf", render_pdf(spec)).status_code == 201
    before = sorted(stored_files(settings))
    redrawn = upload(client, headers, "b.pdf", render_pdf(spec, PdfVariant(frame=False)))
    assert redrawn.status_code == 409
    assert redrawn.json()["type"] == "/problems/duplicate-invoice"
    assert sorted(stored_files(settings)) == before
    assert unreferenced_files(session, settings) == []


def test_a_ticket_held_by_paper_stores_no_bytes(
    client: TestClient, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    paper = client.post(
        "/api/v1/paper-vouchers",
        json={
            "serial_number": "Z00000001",
            "e_ticket_number": spec.e_ticket_number,
            "travel_date": "2025-03-15",
            "train_number": spec.train_number,
            "departure_station": spec.departure_station,
            "arrival_station": spec.arrival_station,
            "seat_class": spec.seat_class,
            "fare": f"{spec.fare:.2f}",
            "passenger_name": spec.passenger_name,
            "passenger_id_masked": spec.passenger_id_masked,
        },
        headers=headers,
    )
    assert paper.status_code == 201, paper.text
    response = upload(client, headers, "t.pdf", render_pdf(spec))
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/ticket-already-claimed"
    assert stored_files(settings) == []


# --- a real server under concurrent uploads -------------------------------------------------


@pytest.fixture
def live_server(app: FastAPI, settings: Settings) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a background thread."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip(
            "races run on PostgreSQL: SQLite takes its write lock at BEGIN, so its writers "
            "never overlap and there is no race to lose"
        )
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
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


def upload_all_at_once(
    base_url: str, headers: dict[str, str], files: list[tuple[str, bytes]]
) -> list[httpx.Response]:
    """One thread and one connection per file; a barrier releases every request together."""
    barrier = threading.Barrier(len(files))
    responses: list[httpx.Response | BaseException | None] = [None] * len(files)

    def send(index: int, name: str, data: bytes) -> None:
        try:
            with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
                barrier.wait(timeout=30)
                responses[index] = http.post("/api/v1/invoices", files={"file": (name, data)})
        except BaseException as exc:  # surfaced below, in the test's own thread
            responses[index] = exc

    threads = [
        threading.Thread(target=send, args=(i, name, data)) for i, (name, data) in enumerate(files)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    failures = [r for r in responses if not isinstance(r, httpx.Response)]
    assert failures == [], failures
    return [r for r in responses if isinstance(r, httpx.Response)]


def test_concurrent_uploads_of_one_file_create_exactly_one_invoice(
    live_server: str, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    spec = invoice_spec(entity, passenger=employee, session=session)
    pdf = render_pdf(spec)
    responses = upload_all_at_once(
        live_server, bearer(session, employee), [(f"{spec.invoice_number}.pdf", pdf)] * CLIENTS
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: CLIENTS - 1}, [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 201)
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "/problems/duplicate-invoice"
            assert response.json()["existing_invoice_id"] == winner["id"]
    assert count(session, Invoice) == 1
    assert count(session, InvoiceFile) == 1
    assert unreferenced_files(session, settings) == []


def test_concurrent_pdf_and_ofd_of_one_invoice_become_two_renditions(
    live_server: str, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    spec = invoice_spec(entity, passenger=employee, session=session)
    pdf = (f"{spec.invoice_number}.pdf", render_pdf(spec))
    ofd = (f"{spec.invoice_number}.ofd", render_ofd(spec))
    files = [pdf if i % 2 == 0 else ofd for i in range(CLIENTS)]
    responses = upload_all_at_once(live_server, bearer(session, employee), files)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 200: 1, 409: CLIENTS - 2}, [r.text for r in responses]
    ids = {r.json()["id"] for r in responses if r.status_code in (200, 201)}
    assert len(ids) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.json()["type"] == "/problems/duplicate-invoice"
            assert response.json()["existing_invoice_id"] in ids
    assert count(session, Invoice) == 1
    session.commit()
    kinds = session.exec(select(InvoiceFile.kind).order_by(col(InvoiceFile.kind))).all()
    assert kinds == ["ofd", "pdf"]
    assert unreferenced_files(session, settings) == []


def test_linked_invoices_arriving_at_once_still_link(
    live_server: str, session: Session, settings: Settings
) -> None:
    # Each pair arrives together: a blue invoice and its red-letter, a sale and its refund fee,
    # two re-issues of one ticket. Whichever commits second must see the first.
    entity = make_entity(session)
    employee = make_employee(session, entity)
    rng = random.Random(12)
    blues = [invoice_spec(entity, passenger=employee, session=session) for _ in range(4)]
    reds = [red_letter_of(blue, rng) for blue in blues]
    sales = [invoice_spec(entity, passenger=employee, session=session) for _ in range(3)]
    fees = [fee_invoice_for(sale, rng, "refund") for sale in sales]
    firsts = [invoice_spec(entity, passenger=employee, session=session) for _ in range(3)]
    reissues = [
        dataclasses.replace(
            invoice_spec(entity, passenger=employee, session=session),
            e_ticket_number=first.e_ticket_number,
        )
        for first in firsts
    ]
    specs = [*blues, *reds, *sales, *fees, *firsts, *reissues]
    files = [(f"{spec.invoice_number}.pdf", render_pdf(spec)) for spec in specs]
    responses = upload_all_at_once(live_server, bearer(session, employee), files)
    assert Counter(r.status_code for r in responses) == {201: len(specs)}, [
        r.text for r in responses
    ]
    session.commit()
    stored = {i.invoice_number: i for i in session.exec(select(Invoice)).all()}
    for blue, red in zip(blues, reds, strict=True):
        assert stored[blue.invoice_number].status == "void"
        assert stored[blue.invoice_number].voided_by_id == stored[red.invoice_number].id
        assert stored[red.invoice_number].original_invoice_id == stored[blue.invoice_number].id
    for sale, fee in zip(sales, fees, strict=True):
        assert stored[fee.invoice_number].original_invoice_id == stored[sale.invoice_number].id
    for first, reissue in zip(firsts, reissues, strict=True):
        for number in (first.invoice_number, reissue.invoice_number):
            assert "ticket-reissued" in {w["code"] for w in stored[number].warnings}
