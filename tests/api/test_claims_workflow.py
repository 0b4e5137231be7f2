"""The claim state machine: every transition from every state, by every role, plus history."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.invoices.models import Invoice
from app.webhooks.models import WebhookEvent
from tests.claims_support import (
    API,
    Org,
    act,
    clean_invoice,
    draft,
    make_org,
    problem,
)

OK = (200, None)
FORBIDDEN = (403, "forbidden")
INVALID = (409, "invalid-state")
HIDDEN = (404, "not-found")
SELF = (403, "self-approval")

BODIES: dict[str, Any] = {
    "submit": None,
    "withdraw": None,
    "approve": {"comment": "同意"},
    "reject": {"reason": "请补充行程说明"},
}


def arrange(client: TestClient, session: Session, org: Org, state: str) -> str:
    """A clean claim of the employee brought to `state`; `level1` is a two-level claim that
    has its first approval."""
    if state == "level1":
        policy = client.put(
            f"{API}/entities/{org.entity.id}/claim-policy",
            json={"approval_threshold": "100.00"},
            headers=org.h("admin"),
        )
        assert policy.status_code == 200, policy.text
    claim = draft(client, org, clean_invoice(client, session, org))
    if state == "draft":
        return str(claim["id"])
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    if state in ("approved", "level1"):
        assert act(client, org.h("manager"), claim["id"], "approve", {}).status_code == 200
    return str(claim["id"])


CASES = [
    # (state, action, actor, expected, state afterwards)
    ("draft", "submit", "employee", OK, "submitted"),
    ("draft", "submit", "manager", FORBIDDEN, "draft"),
    ("draft", "submit", "finance", FORBIDDEN, "draft"),
    ("draft", "submit", "admin", FORBIDDEN, "draft"),
    ("draft", "submit", "auditor", FORBIDDEN, "draft"),
    ("draft", "submit", "colleague", HIDDEN, "draft"),
    ("draft", "withdraw", "employee", INVALID, "draft"),
    ("draft", "approve", "manager", INVALID, "draft"),
    ("draft", "approve", "employee", INVALID, "draft"),
    ("draft", "reject", "manager", INVALID, "draft"),
    ("draft", "reject", "finance", INVALID, "draft"),
    ("submitted", "submit", "employee", INVALID, "submitted"),
    ("submitted", "withdraw", "employee", OK, "draft"),
    ("submitted", "withdraw", "manager", FORBIDDEN, "submitted"),
    ("submitted", "withdraw", "finance", FORBIDDEN, "submitted"),
    ("submitted", "approve", "manager", OK, "approved"),
    ("submitted", "approve", "employee", SELF, "submitted"),
    ("submitted", "approve", "finance", FORBIDDEN, "submitted"),
    ("submitted", "approve", "admin", FORBIDDEN, "submitted"),
    ("submitted", "approve", "auditor", FORBIDDEN, "submitted"),
    ("submitted", "approve", "director", HIDDEN, "submitted"),
    ("submitted", "approve", "colleague", HIDDEN, "submitted"),
    ("submitted", "reject", "manager", OK, "draft"),
    ("submitted", "reject", "finance", OK, "draft"),
    ("submitted", "reject", "employee", FORBIDDEN, "submitted"),
    ("submitted", "reject", "admin", FORBIDDEN, "submitted"),
    ("submitted", "reject", "colleague", HIDDEN, "submitted"),
    ("level1", "withdraw", "employee", INVALID, "submitted"),
    ("level1", "approve", "manager", FORBIDDEN, "submitted"),
    ("level1", "approve", "director", OK, "approved"),
    ("level1", "reject", "director", OK, "draft"),
    ("level1", "reject", "manager", FORBIDDEN, "submitted"),
    ("approved", "submit", "employee", INVALID, "approved"),
    ("approved", "withdraw", "employee", INVALID, "approved"),
    ("approved", "approve", "manager", INVALID, "approved"),
    ("approved", "reject", "finance", OK, "draft"),
    ("approved", "reject", "manager", FORBIDDEN, "approved"),
    ("approved", "reject", "employee", FORBIDDEN, "approved"),
]


@pytest.mark.parametrize(
    ("state", "action", "actor", "expected", "after"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-by-{c[2]}" for c in CASES],
)
def test_transition(
    client: TestClient,
    session: Session,
    state: str,
    action: str,
    actor: str,
    expected: tuple[int, str | None],
    after: str,
):
    org = make_org(session)
    claim_id = arrange(client, session, org, state)
    response = act(client, org.h(actor), claim_id, action, BODIES[action])
    status, slug = expected
    if slug is None:
        assert response.status_code == status, response.text
        assert response.json()["state"] == after
    else:
        body = problem(response, status, slug)
        if slug == "invalid-state":
            assert body["state"] == (state if state != "level1" else "submitted")
    current = client.get(f"{API}/claims/{claim_id}", headers=org.h("admin")).json()
    assert current["state"] == after


def test_a_full_round_trip_is_recorded(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    claim = draft(client, org, invoice_id)
    cid = claim["id"]
    assert act(client, org.h("employee"), cid, "submit", {"comment": "请审批"}).status_code == 200
    rejected = act(client, org.h("manager"), cid, "reject", {"reason": "缺少会议通知"}).json()
    assert rejected["state"] == "draft"
    assert rejected["last_rejection"]["reason"] == "缺少会议通知"
    assert rejected["last_rejection"]["by"] == str(org.manager.id)
    assert rejected["awaiting_approver"] is None
    assert act(client, org.h("employee"), cid, "submit").status_code == 200
    assert act(client, org.h("employee"), cid, "withdraw").json()["state"] == "draft"
    assert act(client, org.h("employee"), cid, "submit").status_code == 200
    approved = act(client, org.h("manager"), cid, "approve", {"comment": "同意"}).json()
    assert approved["state"] == "approved"
    assert approved["last_rejection"]["reason"] == "缺少会议通知"
    assert [(a["level"], a["approver"], a["comment"]) for a in approved["approvals"]] == [
        (1, str(org.manager.id), "同意")
    ]
    assert [(h["action"], h["actor"], h["comment"]) for h in approved["history"]] == [
        ("created", str(org.employee.id), None),
        ("submitted", str(org.employee.id), "请审批"),
        ("rejected", str(org.manager.id), "缺少会议通知"),
        ("submitted", str(org.employee.id), None),
        ("withdrawn", str(org.employee.id), None),
        ("submitted", str(org.employee.id), None),
        ("approved", str(org.manager.id), "同意"),
    ]
    assert approved["voucher_ids"] == []
    session.commit()
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.object_id == cid).order_by(AuditEvent.seq)
    ).all()
    assert actions == [
        "claim.created",
        "claim.submitted",
        "claim.rejected",
        "claim.submitted",
        "claim.withdrawn",
        "claim.submitted",
        "claim.approved",
    ]
    # Through every return to draft the invoice stayed in the claim.
    assert session.get(Invoice, uuid.UUID(invoice_id)).status == "claimed"  # type: ignore[union-attr]


def test_reject_needs_a_reason(client: TestClient, session: Session):
    org = make_org(session)
    claim_id = arrange(client, session, org, "submitted")
    for body in (None, {}, {"reason": "   "}, {"reason": "x" * 2001}):
        response = act(client, org.h("manager"), claim_id, "reject", body)
        errors = problem(response, 422, "validation-error")["errors"]
        assert any(e["field"] in ("reason", "body") for e in errors), errors


def test_approve_refuses_unknown_fields(client: TestClient, session: Session):
    org = make_org(session)
    claim_id = arrange(client, session, org, "submitted")
    response = act(client, org.h("manager"), claim_id, "approve", {"acknowledge": True})
    errors = problem(response, 422, "validation-error")["errors"]
    assert [e["field"] for e in errors] == ["acknowledge"]


def test_unknown_claim_is_not_found(client: TestClient, session: Session):
    org = make_org(session)
    response = act(client, org.h("employee"), "00000000-0000-0000-0000-000000000000", "submit")
    problem(response, 404, "not-found")
    problem(
        client.get(f"{API}/claims/not-a-uuid", headers=org.h("employee")), 422, "validation-error"
    )


def test_transitions_enqueue_ordered_webhook_events(client: TestClient, session: Session):
    org = make_org(session)
    claim_id = arrange(client, session, org, "submitted")
    act(client, org.h("manager"), claim_id, "reject", {"reason": "补充说明"})
    act(client, org.h("employee"), claim_id, "submit")
    act(client, org.h("employee"), claim_id, "withdraw")
    act(client, org.h("employee"), claim_id, "submit")
    act(client, org.h("manager"), claim_id, "approve")
    session.commit()
    events = session.exec(
        select(WebhookEvent)
        .where(WebhookEvent.ordering_key == f"claim:{claim_id}")
        .order_by(col(WebhookEvent.seq))
    ).all()
    bodies = [json.loads(e.body) for e in events]
    assert [b["type"] for b in bodies] == [
        "claim.submitted",
        "claim.rejected",
        "claim.submitted",
        "claim.submitted",
        "claim.approved",
    ]
    assert bodies[1]["data"]["reason"] == "补充说明"
    assert bodies[-1]["data"]["state"] == "approved"
    assert bodies[-1]["data"]["total"] == "553.00"
    assert bodies[-1]["data"]["approvers"] == [str(org.manager.id)]
    # Finance systems fetch details through the API; events carry no personal data.
    assert "张三" not in "".join(e.body for e in events)


def test_withdraw_honours_idempotency_keys(client: TestClient, session: Session):
    org = make_org(session)
    claim_id = arrange(client, session, org, "submitted")
    headers = {**org.h("employee"), "Idempotency-Key": "withdraw-1"}
    url = f"{API}/claims/{claim_id}/withdraw"
    first = client.post(url, json={"comment": "改日再报"}, headers=headers)
    assert first.status_code == 200, first.text
    again = client.post(url, json={"comment": "改日再报"}, headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert [h["action"] for h in again.json()["history"]].count("withdrawn") == 1
    other = client.post(url, json={"comment": "别的"}, headers=headers)
    problem(other, 422, "idempotency-key-reused")
    # Without a key, a second withdrawal is simply in the wrong state.
    problem(client.post(url, headers=org.h("employee")), 409, "invalid-state")


def test_booking_lists_the_vouchers(client: TestClient, session: Session):
    org = make_org(session)
    claim_id = arrange(client, session, org, "approved")
    booked = act(client, org.h("finance"), claim_id, "book", {})
    assert booked.status_code == 200, booked.text
    assert booked.json()["state"] == "booked"
    assert len(booked.json()["voucher_ids"]) == 1
    # Approved or booked, the claim never returns to its claimant's hands.
    problem(act(client, org.h("employee"), claim_id, "withdraw"), 409, "invalid-state")
    problem(
        act(client, org.h("finance"), claim_id, "reject", {"reason": "x"}), 409, "invalid-state"
    )
    assert booked.json()["history"][-1]["action"] == "booked"
