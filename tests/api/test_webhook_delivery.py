"""Webhook delivery to a real receiver on loopback: signatures, retries, ordering, no loss."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.audit.models import AuditEvent
from app.cli import cli
from app.config import Settings, get_settings
from app.db import utcnow
from app.webhooks.backoff import RetryPolicy
from app.webhooks.dispatch import Outcome, claim_next, record_outcome
from app.webhooks.models import WebhookDelivery, WebhookEvent
from app.webhooks.outbox import enqueue_event
from app.webhooks.worker import run_worker
from tests.api.test_auth import assert_problem
from tests.webhook_receiver import Received, Receiver
from tests.webhook_support import enqueue, run_worker_pass

API = "/api/v1/webhooks"


def subscribe(client: TestClient, headers: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    response = client.post(API, json={"url": url, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def deliveries(client: TestClient, headers: dict[str, str], subscription_id: str) -> list[dict]:
    response = client.get(f"{API}/{subscription_id}/deliveries?limit=200", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def claim_events(requests: list[Received], claim: str) -> list[str]:
    return [r.json["type"] for r in requests if r.json["data"].get("claim_id") == claim]


def expected_signature(secret: str, received: Received) -> str:
    # Recomputed by hand, independent of app.webhooks.signing.
    timestamp = received.headers["Railclaim-Signature"].split(",")[0].removeprefix("t=")
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def test_a_delivery_is_signed_and_carries_the_event(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscription = subscribe(client, admin, receiver.url)
    enqueue(app, "claim.approved", {"claim_id": "c1", "total": "553.00"}, ordering_key="claim:c1")
    now = utcnow()

    assert run_worker_pass(app, now=now) == 1
    [request] = receiver.received()
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Railclaim-Event"] == "claim.approved"
    assert request.headers["Railclaim-Signature"] == expected_signature(
        subscription["secret"], request
    )
    assert request.headers["Railclaim-Signature"].startswith(f"t={int(now.timestamp())},")
    body = request.json
    assert set(body) == {"id", "type", "created_at", "data"}
    assert body["type"] == "claim.approved"
    assert body["data"] == {"claim_id": "c1", "total": "553.00"}
    assert dt.datetime.fromisoformat(body["created_at"]).utcoffset() == dt.timedelta(0)

    [delivery] = deliveries(client, admin, subscription["id"])
    assert request.headers["Railclaim-Delivery"] == delivery["id"]
    assert delivery["event_id"] == body["id"]
    assert delivery["status"] == "delivered"
    assert delivery["attempts"] == 1
    assert delivery["last_status_code"] == 200
    assert delivery["next_attempt_at"] is None
    assert delivery["delivered_at"] is not None
    assert run_worker_pass(app, now=now + dt.timedelta(days=2)) == 0


def test_a_wrong_secret_or_edited_body_does_not_verify(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscribe(client, admin, receiver.url, secret="the-right-secret-value")
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    run_worker_pass(app, now=utcnow())
    [request] = receiver.received()
    header = request.headers["Railclaim-Signature"]
    assert header == expected_signature("the-right-secret-value", request)
    assert header != expected_signature("a-wrong-secret-value!!", request)
    edited = Received(request.path, request.headers, request.body.replace(b"i1", b"i2"))
    assert header != expected_signature("the-right-secret-value", edited)


def test_each_subscription_gets_the_types_it_asked_for(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    paid_only = subscribe(client, admin, receiver.url + "/paid", event_types=["claim.paid"])
    everything = subscribe(client, admin, receiver.url + "/all")
    subscribe(client, admin, receiver.url + "/off", active=False)
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    enqueue(app, "claim.paid", {"claim_id": "c1"}, ordering_key="claim:c1")

    assert run_worker_pass(app, now=utcnow()) == 3
    seen = sorted((r.path, r.json["type"]) for r in receiver.received())
    assert seen == [
        ("/hook/all", "claim.paid"),
        ("/hook/all", "invoice.created"),
        ("/hook/paid", "claim.paid"),
    ]
    assert len(deliveries(client, admin, paid_only["id"])) == 1
    assert len(deliveries(client, admin, everything["id"])) == 2


def test_a_500_is_retried_after_the_backoff_with_the_same_bytes(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscription = subscribe(client, admin, receiver.url)
    enqueue(app, "claim.submitted", {"claim_id": "c1"}, ordering_key="claim:c1")
    receiver.status = 500
    start = utcnow()

    assert run_worker_pass(app, now=start) == 1
    [delivery] = deliveries(client, admin, subscription["id"])
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert delivery["last_status_code"] == 500
    assert delivery["last_error"] == "HTTP 500: ok"
    retry_at = dt.datetime.fromisoformat(delivery["next_attempt_at"])
    assert retry_at == start + dt.timedelta(seconds=30)

    assert run_worker_pass(app, now=start + dt.timedelta(seconds=29)) == 0
    receiver.status = 204
    assert run_worker_pass(app, now=retry_at) == 1
    first, second = receiver.received()
    assert first.body == second.body
    assert first.headers["Railclaim-Delivery"] == second.headers["Railclaim-Delivery"]
    [delivery] = deliveries(client, admin, subscription["id"])
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 2)
    assert delivery["last_status_code"] == 204
    assert delivery["last_error"] is None


def test_redirects_and_4xx_count_as_failures(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscription = subscribe(client, admin, receiver.url)
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    receiver.status = 302
    run_worker_pass(app, now=utcnow())
    [delivery] = deliveries(client, admin, subscription["id"])
    assert (delivery["status"], delivery["last_status_code"]) == ("pending", 302)


def test_later_events_of_a_claim_wait_for_an_earlier_failing_one(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscribe(client, admin, receiver.url)
    for event_type in ("claim.submitted", "claim.approved", "claim.booked"):
        enqueue(app, event_type, {"claim_id": "A"}, ordering_key="claim:A")
    enqueue(app, "claim.submitted", {"claim_id": "B"}, ordering_key="claim:B")
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    receiver.answer = lambda r: 503 if r.json["data"].get("claim_id") == "A" else 200
    start = utcnow()

    # Only the head of claim A's queue is tried; B and the unordered event are not held up.
    assert run_worker_pass(app, now=start) == 3
    assert claim_events(receiver.received(), "A") == ["claim.submitted"]
    assert claim_events(receiver.received(), "B") == ["claim.submitted"]
    assert run_worker_pass(app, now=start + dt.timedelta(seconds=31)) == 1
    assert claim_events(receiver.received(), "A") == ["claim.submitted"] * 2

    receiver.answer = lambda _r: 200
    assert run_worker_pass(app, now=start + dt.timedelta(minutes=3)) == 3
    assert claim_events(receiver.received(), "A") == [
        "claim.submitted",
        "claim.submitted",
        "claim.submitted",
        "claim.approved",
        "claim.booked",
    ]


def test_a_receiver_down_for_a_while_loses_nothing_and_keeps_order(
    client: TestClient, app: FastAPI, admin: dict[str, str], down_receiver: Receiver
):
    subscription = subscribe(client, admin, down_receiver.url)
    flow = ("claim.submitted", "claim.approved", "claim.booked", "claim.paid")
    for event_type in flow:  # interleaved claims, as a busy day produces them
        for claim in ("A", "B", "C"):
            enqueue(app, event_type, {"claim_id": claim}, ordering_key=f"claim:{claim}")
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    start = utcnow()

    clock = start
    for _ in range(4):  # four refused attempts per queue head, an hour apart
        assert run_worker_pass(app, now=clock) == 4
        clock += dt.timedelta(hours=1)
    pending = deliveries(client, admin, subscription["id"])
    assert {d["status"] for d in pending} == {"pending"}
    heads = [d for d in pending if d["attempts"]]
    assert len(heads) == 4
    assert all("ConnectError" in d["last_error"] for d in heads)
    assert all(d["last_status_code"] is None for d in heads)

    down_receiver.start()
    assert run_worker_pass(app, now=clock + dt.timedelta(hours=6)) == 13
    received = down_receiver.received()
    assert len(received) == 13
    assert len({r.json["id"] for r in received}) == 13
    for claim in ("A", "B", "C"):
        assert claim_events(received, claim) == list(flow)
    assert {d["status"] for d in deliveries(client, admin, subscription["id"])} == {"delivered"}


def test_a_dead_receiver_does_not_block_other_subscriptions(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    down_receiver: Receiver,
):
    subscribe(client, admin, down_receiver.url)
    healthy = subscribe(client, admin, receiver.url)
    for event_type in ("claim.submitted", "claim.approved"):
        enqueue(app, event_type, {"claim_id": "A"}, ordering_key="claim:A")

    run_worker_pass(app, now=utcnow())
    assert claim_events(receiver.received(), "A") == ["claim.submitted", "claim.approved"]
    assert {d["status"] for d in deliveries(client, admin, healthy["id"])} == {"delivered"}


def test_dead_after_ten_attempts_holds_its_claim_until_retried_by_hand(
    client: TestClient, app: FastAPI, session: Session, admin: dict[str, str], receiver: Receiver
):
    subscription = subscribe(client, admin, receiver.url)
    enqueue(app, "claim.submitted", {"claim_id": "A"}, ordering_key="claim:A")
    enqueue(app, "claim.approved", {"claim_id": "A"}, ordering_key="claim:A")
    enqueue(app, "claim.submitted", {"claim_id": "B"}, ordering_key="claim:B")
    receiver.answer = lambda r: 500 if r.json["data"].get("claim_id") == "A" else 200
    clock = utcnow()

    for _ in range(10):
        run_worker_pass(app, now=clock)
        clock += dt.timedelta(hours=7)  # beyond the longest wait
    assert run_worker_pass(app, now=clock + dt.timedelta(days=30)) == 0
    assert claim_events(receiver.received(), "A") == ["claim.submitted"] * 10
    assert claim_events(receiver.received(), "B") == ["claim.submitted"]
    log = {
        (d["event_type"], d["ordering_key"]): d
        for d in deliveries(client, admin, subscription["id"])
    }
    dead = log[("claim.submitted", "claim:A")]
    assert (dead["status"], dead["attempts"], dead["last_status_code"]) == ("dead", 10, 500)
    assert dead["next_attempt_at"] is None
    held = log[("claim.approved", "claim:A")]
    assert (held["status"], held["attempts"]) == ("pending", 0)
    base = f"{API}/{subscription['id']}/deliveries"
    listed_dead = client.get(base, params={"status": "dead"}, headers=admin).json()["items"]
    assert [d["id"] for d in listed_dead] == [dead["id"]]

    response = client.post(f"{base}/{dead['id']}/retry", headers=admin)
    assert response.status_code == 200, response.text
    revived = response.json()
    assert (revived["status"], revived["attempts"]) == ("pending", 0)
    again = client.post(f"{base}/{dead['id']}/retry", headers=admin)
    assert_problem(again.json(), 409, "invalid-state")

    receiver.answer = lambda _r: 200
    assert run_worker_pass(app, now=utcnow() + dt.timedelta(seconds=1)) == 2
    assert claim_events(receiver.received(), "A")[-2:] == ["claim.submitted", "claim.approved"]
    session.commit()
    retried = session.get(WebhookDelivery, uuid.UUID(dead["id"]))
    assert retried is not None
    assert (retried.status, retried.attempts) == ("delivered", 1)
    audited = session.exec(
        select(AuditEvent).where(col(AuditEvent.action) == "webhook.delivery_retried")
    ).all()
    assert [(e.object_id, e.actor_username is not None) for e in audited] == [(dead["id"], True)]


def test_a_lost_worker_lease_is_taken_over_and_its_late_outcome_ignored(
    app: FastAPI, client: TestClient, admin: dict[str, str], receiver: Receiver
):
    subscription = subscribe(client, admin, receiver.url)
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    policy = RetryPolicy()
    start = utcnow()
    lease = dt.timedelta(minutes=5)
    with Session(app.state.engine) as session:  # a worker that claims, then vanishes
        job = claim_next(session, now=start, lease=lease, policy=policy)
        session.commit()
    assert job is not None
    assert run_worker_pass(app, now=start + dt.timedelta(minutes=4)) == 0
    assert run_worker_pass(app, now=start + lease) == 1
    assert len(receiver.received()) == 1

    with Session(app.state.engine) as session:  # the lost worker's answer arrives too late
        late = record_outcome(session, job, Outcome(500, "HTTP 500"), now=start, policy=policy)
        session.commit()
    assert late is None
    [delivery] = deliveries(client, admin, subscription["id"])
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 2)


def test_an_event_rolled_back_with_its_transaction_is_never_sent(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscribe(client, admin, receiver.url)
    with Session(app.state.engine) as session:
        enqueue_event(session, event_type="claim.paid", data={"claim_id": "A"})
        session.rollback()
    with Session(app.state.engine) as session:
        assert session.exec(select(WebhookEvent)).all() == []
        assert session.exec(select(WebhookDelivery)).all() == []
    assert run_worker_pass(app, now=utcnow()) == 0


def test_concurrent_workers_send_each_delivery_once_in_order(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver
):
    subscribe(client, admin, receiver.url)
    claims = [f"C{n}" for n in range(6)]
    flow = ("claim.submitted", "claim.approved", "claim.booked")
    for event_type in flow:
        for claim in claims:
            enqueue(app, event_type, {"claim_id": claim}, ordering_key=f"claim:{claim}")
    now = utcnow()
    barrier = threading.Barrier(3)
    counts: list[int] = []

    def work() -> None:
        barrier.wait()
        counts.append(run_worker_pass(app, now=now))

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    received = receiver.received()
    assert sum(counts) == len(received) == len(claims) * len(flow)
    assert len({r.headers["Railclaim-Delivery"] for r in received}) == len(received)
    for claim in claims:
        assert claim_events(received, claim) == list(flow)


def test_the_worker_command_delivers_what_is_due_once(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
):
    subscribe(client, admin, receiver.url)
    enqueue(app, "invoice.created", {"invoice_id": "i1"})
    enqueue(app, "claim.paid", {"claim_id": "A"}, ordering_key="claim:A")
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["worker", "--once"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "2 deliveries attempted" in result.output
    assert sorted(r.json["type"] for r in receiver.received()) == ["claim.paid", "invoice.created"]


def test_the_worker_loop_delivers_until_stopped(
    client: TestClient, app: FastAPI, admin: dict[str, str], receiver: Receiver, settings: Settings
):
    subscribe(client, admin, receiver.url)
    arrived = threading.Event()

    def answer(_request: Received) -> int:
        arrived.set()
        return 200

    receiver.answer = answer
    stop = threading.Event()
    loop = threading.Thread(
        target=run_worker, args=(settings.model_copy(update={"webhook_poll_seconds": 0.05}), stop)
    )
    loop.start()
    try:
        enqueue(app, "invoice.created", {"invoice_id": "i1"})
        assert arrived.wait(timeout=20)
    finally:
        stop.set()
        loop.join(timeout=20)
    assert not loop.is_alive()
    assert [r.json["type"] for r in receiver.received()] == ["invoice.created"]
