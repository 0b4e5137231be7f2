"""Findings of the security review (docs/SECURITY.md) that became code, each pinned here."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.claims_support import paper_body
from tests.factories import bearer, make_entity, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_an_approver_sees_a_reports_paper_voucher_but_does_not_change_its_scan(
    client: TestClient, session: Session
) -> None:
    entity = make_entity(session)
    manager = make_user(
        session, "approver", "employee", entity=entity, passenger_name="王经理", id_last4="5678"
    )
    employee = make_user(
        session, "employee", entity=entity, passenger_name="张三", id_last4="1234", manager=manager
    )
    finance = make_user(session, "finance", entity=entity)
    voucher = client.post(
        "/api/v1/paper-vouchers", json=paper_body(), headers=bearer(session, employee)
    ).json()
    url = f"/api/v1/paper-vouchers/{voucher['id']}"
    scan = {"file": ("scan.png", PNG, "image/png")}
    as_manager = bearer(session, manager)
    assert client.get(url, headers=as_manager).status_code == 200
    refused = client.post(f"{url}/scan", files=scan, headers=as_manager)
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"] == "/problems/forbidden"
    assert client.get(f"{url}/scan", headers=as_manager).status_code == 404  # nothing attached
    for who in (employee, finance):
        assert client.post(f"{url}/scan", files=scan, headers=bearer(session, who)).is_success


def test_responses_over_https_pin_https(client: TestClient) -> None:
    plain = client.get("/healthz")
    assert "strict-transport-security" not in plain.headers  # not over TLS: a lie there
    assert plain.headers["x-content-type-options"] == "nosniff"
    with TestClient(client.app, base_url="https://testserver") as tls:
        assert tls.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"


def test_auditors_read_the_audit_log_of_their_own_entities(
    client: TestClient, session: Session
) -> None:
    """GET /audit-events listed every entity's events to any auditor; SPEC: auditors see
    everything of their entities. Installation events (logins, users, tokens) stay visible."""
    ours, theirs = make_entity(session), make_entity(session)
    auditor = make_user(session, "auditor", entity=ours)
    for entity in (ours, theirs):
        finance = make_user(session, "finance", entity=entity)
        client.post("/api/v1/periods/2001-01/close", headers=bearer(session, finance))
    admin = make_user(session, "admin", entity=ours)

    def events_seen(user_headers: dict[str, str]) -> list[dict[str, str | None]]:
        page = client.get("/api/v1/audit-events", params={"limit": 200}, headers=user_headers)
        assert page.status_code == 200, page.text
        items: list[dict[str, str | None]] = page.json()["items"]
        return items

    def entities_seen(user_headers: dict[str, str]) -> set[str | None]:
        return {event["entity_id"] for event in events_seen(user_headers)}

    assert entities_seen(bearer(session, auditor)) == {str(ours.id)}
    assert entities_seen(bearer(session, admin)) == {str(ours.id), str(theirs.id)}
    client.post("/api/v1/auth/token", data={"username": auditor.username, "password": "x"})
    # A failed login of one of our staff is our entity's event (issue 15.7): the auditor reads it.
    seen = events_seen(bearer(session, auditor))
    failed = [e["entity_id"] for e in seen if e["action"] == "auth.login-failed"]
    assert failed == [str(ours.id)]
