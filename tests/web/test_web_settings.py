"""Admin settings pages: claim policy per entity, webhooks (secret shown once, delete) and their
deliveries with a retry of a dead one; admins only, CSRF on every post."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.claims.models import ClaimPolicy
from app.webhooks.models import WebhookDelivery
from tests.api.ledger_helpers import Office, make_office
from tests.web.helpers import HTML, csrf_of, login, post_form
from tests.webhook_support import enqueue

POLICY = {
    "approval_threshold": "8000.00",
    "first_class_min_grade": "5",
    "business_class_min_grade": "8",
    "late_submission_days": "90",
}


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def test_admin_sets_the_policy_of_an_entity(client: TestClient, session: Session, office: Office):
    login(client, office.admin)
    page = client.get("/admin/policy", headers=HTML)
    assert page.status_code == 200
    assert 'value="5000.00"' in page.text  # the default threshold
    form = {**POLICY, "fallback_approver_id": str(office.manager.id)}
    saved = post_form(client, "/admin/policy", f"/admin/policy/{office.entity.id}", form)
    assert saved.status_code == 303, saved.text
    session.commit()
    row = session.exec(select(ClaimPolicy).where(ClaimPolicy.entity_id == office.entity.id)).one()
    assert str(row.approval_threshold) == "8000.00"
    assert row.late_submission_days == 90
    assert row.fallback_approver_id == office.manager.id
    assert row.segregation_of_duties is False  # the box was not ticked
    assert "政策已保存" in client.get(saved.headers["location"], headers=HTML).text


def test_policy_field_errors_are_marked(client: TestClient, office: Office):
    login(client, office.admin)
    form = {**POLICY, "business_class_min_grade": "2", "segregation_of_duties": "on"}
    response = post_form(client, "/admin/policy", f"/admin/policy/{office.entity.id}", form)
    assert response.status_code == 422
    assert 'class="field invalid"' in response.text


def test_webhook_created_with_its_secret_shown_once_then_deleted(
    client: TestClient, office: Office
):
    login(client, office.admin)
    created = post_form(
        client,
        "/admin/webhooks",
        "/admin/webhooks",
        {"url": "https://hooks.example.org/rc", "event_types": "claim.paid"},
    )
    assert created.status_code == 200, created.text
    secret = re.search(r'id="new-secret">([^<]+)<', created.text)
    assert secret
    listing = client.get("/admin/webhooks", headers=HTML).text
    assert "https://hooks.example.org/rc" in listing
    assert secret.group(1) not in listing
    subscription_id = re.search(r"/admin/webhooks/([0-9a-f-]{36})/delete", listing)
    assert subscription_id
    deleted = post_form(
        client, "/admin/webhooks", f"/admin/webhooks/{subscription_id.group(1)}/delete", {}
    )
    assert deleted.status_code == 303
    assert "https://hooks.example.org/rc" not in client.get("/admin/webhooks", headers=HTML).text


def test_a_dead_delivery_is_retried_from_its_page(
    app, client: TestClient, session: Session, office: Office
):
    login(client, office.admin)
    post_form(client, "/admin/webhooks", "/admin/webhooks", {"url": "https://erp.example.com/h"})
    listing = client.get("/admin/webhooks", headers=HTML).text
    subscription_id = re.search(r"/admin/webhooks/([0-9a-f-]{36})/delete", listing).group(1)  # type: ignore[union-attr]
    enqueue(app, "claim.paid", {"claim_id": "x"})
    session.commit()
    session.execute(update(WebhookDelivery).values(status="dead", attempts=10))
    session.commit()
    page = client.get(f"/admin/webhooks/{subscription_id}", headers=HTML)
    assert "claim.paid" in page.text
    action = re.search(r'action="(/admin/webhooks/[^"]+/retry)"', page.text)
    assert action
    retried = client.post(action.group(1), data={"csrf_token": csrf_of(page)})
    assert retried.status_code == 200  # followed to the deliveries page
    assert "已安排重新推送" in retried.text
    status = session.exec(select(col(WebhookDelivery.status))).one()
    assert status == "pending"
    again = client.post(action.group(1), data={"csrf_token": csrf_of(page)})
    assert again.status_code == 409
    assert "当前状态下不允许此操作" in again.text


def test_settings_are_for_admins_and_need_csrf(client: TestClient, office: Office):
    login(client, office.finance)
    for path in ("/admin/policy", "/admin/webhooks"):
        assert client.get(path, headers=HTML).status_code == 403
    client.cookies.clear()
    login(client, office.admin)
    for path in (f"/admin/policy/{office.entity.id}", "/admin/webhooks"):
        response = client.post(path, data=POLICY)
        assert response.status_code == 403
        assert "表单已失效" in response.text
