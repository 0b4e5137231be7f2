"""Webhook subscriptions through the API: admin only, validated, secrets shown once, audited."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.webhooks.models import WebhookDelivery
from tests.api.test_auth import assert_problem
from tests.factories import bearer, make_user
from tests.webhook_support import enqueue, run_worker_pass, utc

API = "/api/v1/webhooks"


def subscribe(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("url", "https://erp.example.com/hooks/railclaim")
    response = client.post(API, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def audit_actions(session: Session) -> list[AuditEvent]:
    session.commit()
    statement = select(AuditEvent).where(col(AuditEvent.action).startswith("webhook."))
    return list(session.exec(statement.order_by(col(AuditEvent.seq))).all())


def test_admin_subscribes_and_the_generated_secret_is_shown_once(
    client: TestClient, session: Session, admin: dict[str, str]
):
    created = subscribe(client, admin, event_types=["claim.paid", "claim.booked"])
    assert len(created["secret"]) >= 32
    assert created["event_types"] == ["claim.paid", "claim.booked"]
    assert created["active"] is True
    assert created["url"] == "https://erp.example.com/hooks/railclaim"

    listed = client.get(API, headers=admin).json()
    assert [s["id"] for s in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    one = client.get(f"{API}/{created['id']}", headers=admin)
    assert one.status_code == 200
    assert "secret" not in one.json()
    assert created["secret"] not in client.get(API, headers=admin).text


def test_a_given_secret_is_kept_and_duplicate_types_collapse(
    client: TestClient, admin: dict[str, str]
):
    created = subscribe(
        client,
        admin,
        secret="s3cret-of-the-erp-team",
        event_types=["claim.paid", "claim.paid", "invoice.created"],
        active=False,
    )
    assert created["secret"] == "s3cret-of-the-erp-team"
    assert created["event_types"] == ["claim.paid", "invoice.created"]
    assert created["active"] is False


@pytest.mark.parametrize(
    "url",
    [
        "ftp://erp.example.com/hook",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "erp.example.com/hook",
        "http://",
        "",
        "https://erp.example.com/" + "a" * 2000,
        # A cloud machine's metadata service, and addresses that name no receiver.
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://0.0.0.0:8080/hook",
        "http://100.100.100.200/latest/meta-data/",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "https://erp.example.com/hook\x00",
        "https://erp.example.com/ho\nok",
    ],
)
def test_urls_other_than_http_or_https_are_refused(
    client: TestClient, session: Session, admin: dict[str, str], url: str
):
    response = client.post(API, json={"url": url}, headers=admin)
    assert response.status_code == 422
    body = response.json()
    assert_problem(body, 422, "validation-error")
    assert [e["field"] for e in body["errors"]] == ["url"]
    assert client.get(API, headers=admin).json()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_types": ["claim.created"]}, "event_types.0"),
        ({"event_types": "claim.paid"}, "event_types"),
        ({"secret": "short"}, "secret"),
        ({"secret": "tab\tinside-a-long-secret"}, "secret"),
        ({"active": "sometimes"}, "active"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_fields_are_validation_problems(
    client: TestClient, admin: dict[str, str], body: dict[str, Any], field: str
):
    body = {"url": "https://erp.example.com/hook", **body}
    response = client.post(API, json=body, headers=admin)
    assert response.status_code == 422
    problem = response.json()
    assert_problem(problem, 422, "validation-error")
    assert field in [e["field"] for e in problem["errors"]]


@pytest.mark.parametrize("role", ["employee", "approver", "finance", "auditor"])
def test_only_admins_manage_webhooks(
    client: TestClient, session: Session, admin: dict[str, str], role: str
):
    subscription = subscribe(client, admin)
    headers = bearer(session, make_user(session, role))
    base = f"{API}/{subscription['id']}"
    calls = [
        ("GET", API, None),
        ("POST", API, {"url": "https://evil.example.com/"}),
        ("GET", base, None),
        ("DELETE", base, None),
        ("GET", f"{base}/deliveries", None),
        ("POST", f"{base}/deliveries/{uuid.uuid4()}/retry", None),
    ]
    for method, path, body in calls:
        response = client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (method, path)
        assert_problem(response.json(), 403, "forbidden")
    assert len(client.get(API, headers=admin).json()["items"]) == 1


def test_anonymous_callers_are_unauthorized(client: TestClient):
    response = client.get(API)
    assert response.status_code == 401
    assert_problem(response.json(), 401, "unauthorized")


def test_unknown_ids_are_not_found(client: TestClient, admin: dict[str, str]):
    missing = f"{API}/{uuid.uuid4()}"
    for method, path in [
        ("GET", missing),
        ("DELETE", missing),
        ("GET", f"{missing}/deliveries"),
        ("POST", f"{missing}/deliveries/{uuid.uuid4()}/retry"),
    ]:
        response = client.request(method, path, headers=admin)
        assert response.status_code == 404, (method, path)
        assert_problem(response.json(), 404, "not-found")
    response = client.get(f"{API}/not-a-uuid", headers=admin)
    assert_problem(response.json(), 422, "validation-error")


def test_subscription_changes_are_audited_without_the_secret(
    client: TestClient, app: FastAPI, session: Session, admin: dict[str, str]
):
    created = subscribe(
        client,
        admin,
        url="https://erp:pw@erp.example.com:8443/hook?token=t0ps3cret",
        secret="never-in-the-audit-log",
    )
    enqueue(app, "claim.paid", {"claim_id": "c1"}, ordering_key="claim:c1")
    assert client.delete(f"{API}/{created['id']}", headers=admin).status_code == 204

    events = audit_actions(session)
    assert [e.action for e in events] == ["webhook.created", "webhook.deleted"]
    assert all(e.object_id == created["id"] for e in events)
    assert [e.details["url"] for e in events] == ["https://erp.example.com:8443/hook"] * 2
    assert created["url"] == "https://erp:pw@erp.example.com:8443/hook?token=t0ps3cret"
    for secret in ("never-in-the-audit-log", "t0ps3cret", "pw@"):
        assert all(secret not in str(e.details) for e in events)


def test_deleting_stops_deliveries_and_hides_the_subscription(
    client: TestClient, app: FastAPI, session: Session, admin: dict[str, str]
):
    created = subscribe(client, admin)
    enqueue(app, "claim.submitted", {"claim_id": "c1"}, ordering_key="claim:c1")
    response = client.delete(f"{API}/{created['id']}", headers=admin)
    assert response.status_code == 204
    assert response.content == b""

    assert client.get(API, headers=admin).json()["items"] == []
    again = client.delete(f"{API}/{created['id']}", headers=admin)
    assert_problem(again.json(), 404, "not-found")
    log = client.get(f"{API}/{created['id']}/deliveries", headers=admin)
    assert_problem(log.json(), 404, "not-found")
    session.commit()
    statuses = session.exec(select(WebhookDelivery.status)).all()
    assert statuses == ["cancelled"]
    # Events after the deletion make no deliveries at all.
    enqueue(app, "claim.approved", {"claim_id": "c1"}, ordering_key="claim:c1")
    session.commit()
    assert len(session.exec(select(WebhookDelivery)).all()) == 1
    assert run_worker_pass(app, now=utc(hours=1)) == 0


def test_delivery_log_pages_newest_first_and_filters_by_status(
    client: TestClient, app: FastAPI, admin: dict[str, str]
):
    created = subscribe(client, admin)
    for n in range(5):
        enqueue(app, "invoice.created", {"n": n})
    base = f"{API}/{created['id']}/deliveries"

    first = client.get(base, params={"limit": 3}, headers=admin).json()
    second = client.get(
        base, params={"limit": 3, "cursor": first["next_cursor"]}, headers=admin
    ).json()
    assert second["next_cursor"] is None
    items = first["items"] + second["items"]
    assert len({d["id"] for d in items}) == 5
    stamps = [d["created_at"] for d in items]
    assert stamps == sorted(stamps, reverse=True)
    delivery = items[0]
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 0
    assert delivery["event_type"] == "invoice.created"
    assert delivery["subscription_id"] == created["id"]
    assert delivery["next_attempt_at"] is not None
    assert delivery["delivered_at"] is None
    assert delivery["last_status_code"] is None

    dead = client.get(base, params={"status": "dead"}, headers=admin).json()
    assert dead == {"items": [], "next_cursor": None}
    wrong = client.get(base, params={"status": "lost"}, headers=admin)
    assert_problem(wrong.json(), 422, "validation-error")
    bad_cursor = client.get(base, params={"cursor": "garbage!"}, headers=admin)
    assert_problem(bad_cursor.json(), 422, "validation-error")


def test_only_dead_deliveries_can_be_retried(
    client: TestClient, app: FastAPI, session: Session, admin: dict[str, str]
):
    created = subscribe(client, admin)
    other = subscribe(client, admin, url="https://other.example.com/")
    enqueue(app, "invoice.created", {"n": 1})
    base = f"{API}/{created['id']}/deliveries"
    delivery = client.get(base, headers=admin).json()["items"][0]

    response = client.post(f"{base}/{delivery['id']}/retry", headers=admin)
    assert response.status_code == 409
    problem = response.json()
    assert_problem(problem, 409, "invalid-state")
    assert problem["delivery_status"] == "pending"
    # Another subscription's path does not reach this delivery.
    elsewhere = client.post(f"{API}/{other['id']}/deliveries/{delivery['id']}/retry", headers=admin)
    assert_problem(elsewhere.json(), 404, "not-found")
    assert not [e for e in audit_actions(session) if e.action == "webhook.delivery_retried"]
