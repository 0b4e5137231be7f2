"""User administration over the API: PATCH, passwords, deactivation and reassigning approvals."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from tests.claims_support import Org, make_org, problem, submitted
from tests.factories import PASSWORD, bearer, make_entity, make_user

API = "/api/v1"


def _login(client: TestClient, username: str, password: str) -> object:
    return client.post(f"{API}/auth/token", data={"username": username, "password": password})


def _patch(client: TestClient, org: Org, user_id: object, body: dict[str, object]) -> object:
    return client.patch(f"{API}/users/{user_id}", json=body, headers=org.h("admin"))


def test_admin_changes_names_roles_entities_email_and_profile(client: TestClient, session: Session):
    org = make_org(session)
    other = make_entity(session)
    response = _patch(
        client,
        org,
        org.colleague.id,
        {
            "display_name": "赵六（销售）",
            "roles": ["employee", "approver"],
            "entities": [str(org.entity.id), str(other.id)],
            "email": "zhao@example.com",
            "language": "en",
            "profile": {"department": "市场部", "grade": 6, "manager_id": str(org.director.id)},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["display_name"] == "赵六（销售）"
    assert body["roles"] == ["approver", "employee"]
    assert sorted(body["entity_ids"]) == sorted([str(org.entity.id), str(other.id)])
    assert body["email"] == "zhao@example.com"
    assert body["language"] == "en"
    assert body["profile"]["department"] == "市场部"
    assert body["profile"]["grade"] == 6
    assert body["profile"]["manager_id"] == str(org.director.id)
    # Fields left out stay as they were.
    assert body["profile"]["passenger_name"] == "赵六"
    assert client.get(f"{API}/users/{org.colleague.id}", headers=org.h("admin")).json() == body
    session.commit()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.updated")).first()
    assert event is not None
    assert "zhao@example.com" not in str(event.details)  # names of fields, not addresses


def test_patch_refuses_nulls_unknown_fields_bad_email_and_missing_user(
    client: TestClient, session: Session
):
    org = make_org(session)
    for body in ({"roles": None}, {"nickname": "x"}, {"email": "not-an-address"}, {"roles": []}):
        problem(_patch(client, org, org.colleague.id, body), 422, "validation-error")
    problem(
        _patch(
            client, org, org.colleague.id, {"entities": ["7f1f6c1e-0000-4000-8000-000000000000"]}
        ),
        422,
        "validation-error",
    )
    problem(
        _patch(client, org, "7f1f6c1e-0000-4000-8000-000000000000", {"display_name": "x"}),
        404,
        "not-found",
    )
    # Only admins administer users, and an admin does not lock themselves out.
    response = client.patch(
        f"{API}/users/{org.colleague.id}", json={"active": False}, headers=org.h("manager")
    )
    problem(response, 403, "forbidden")
    problem(_patch(client, org, org.admin.id, {"active": False}), 422, "validation-error")
    problem(_patch(client, org, org.admin.id, {"roles": ["employee"]}), 422, "validation-error")


def test_deactivation_ends_every_token_and_refuses_login(client: TestClient, session: Session):
    org = make_org(session)
    api_token = client.post(f"{API}/tokens", json={"name": "sync"}, headers=org.h("colleague"))
    assert api_token.status_code == 201, api_token.text
    api_headers = {"Authorization": f"Bearer {api_token.json()['token']}"}
    assert client.get(f"{API}/users/me", headers=org.h("colleague")).status_code == 200

    response = _patch(client, org, org.colleague.id, {"active": False})
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False

    for headers in (org.h("colleague"), api_headers):
        problem(client.get(f"{API}/users/me", headers=headers), 401, "unauthorized")
    body = problem(_login(client, org.colleague.username, PASSWORD), 403, "account-disabled")
    assert "deactivated" in body["detail"]
    # A wrong password learns nothing about the account's state.
    problem(_login(client, org.colleague.username, "wrong password"), 401, "invalid-credentials")

    # Reactivated, the user logs in again, but the old credentials stay revoked.
    assert _patch(client, org, org.colleague.id, {"is_active": True}).status_code == 200
    assert _login(client, org.colleague.username, PASSWORD).status_code == 200
    problem(client.get(f"{API}/users/me", headers=api_headers), 401, "unauthorized")


def test_admin_sets_a_password_and_the_user_changes_it_with_the_current_one(
    client: TestClient, session: Session
):
    org = make_org(session)
    url = f"{API}/users/{org.colleague.id}/password"
    response = client.post(url, json={"password": "set by the admin"}, headers=org.h("admin"))
    assert response.status_code == 204, response.text
    # The user's sessions from before end; the new password works.
    problem(client.get(f"{API}/users/me", headers=org.h("colleague")), 401, "unauthorized")
    login = _login(client, org.colleague.username, "set by the admin")
    assert login.status_code == 200
    mine = {"Authorization": f"Bearer {login.json()['access_token']}"}

    wrong = client.post(
        url, json={"password": "my own secret", "current_password": "nope nope"}, headers=mine
    )
    assert problem(wrong, 422, "validation-error")["errors"][0]["field"] == "current_password"
    problem(
        client.post(url, json={"password": "my own secret"}, headers=mine), 422, "validation-error"
    )
    changed = client.post(
        url,
        json={"password": "my own secret", "current_password": "set by the admin"},
        headers=mine,
    )
    assert changed.status_code == 204, changed.text
    assert client.get(f"{API}/users/me", headers=mine).status_code == 200  # this session stays
    assert _login(client, org.colleague.username, "my own secret").status_code == 200
    problem(_login(client, org.colleague.username, "set by the admin"), 401, "invalid-credentials")

    # Someone else's password is nobody's business but an admin's: it answers as if absent.
    other = client.post(
        f"{API}/users/{org.employee.id}/password",
        json={"password": "taken over", "current_password": PASSWORD},
        headers=mine,
    )
    problem(other, 404, "not-found")
    problem(
        client.post(url, json={"password": "short"}, headers=org.h("admin")),
        422,
        "validation-error",
    )


def test_pending_approvals_of_a_deactivated_approver_are_listed_and_reassigned(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = submitted(client, session, org)
    assert claim["awaiting_approver"] == str(org.manager.id)
    assert _patch(client, org, org.manager.id, {"active": False}).status_code == 200

    listed = client.get(f"{API}/claims", params={"awaiting": "inactive"}, headers=org.h("admin"))
    assert listed.status_code == 200, listed.text
    assert [c["id"] for c in listed.json()["items"]] == [claim["id"]]
    refused = client.get(
        f"{API}/claims", params={"awaiting": "inactive"}, headers=org.h("director")
    )
    problem(refused, 403, "forbidden")

    url = f"{API}/claims/{claim['id']}/reassign"
    for bad in (org.manager.id, org.employee.id, org.finance.id):  # inactive, claimant, no role
        problem(
            client.post(url, json={"approver_id": str(bad)}, headers=org.h("admin")),
            422,
            "validation-error",
        )
    outsider = make_user(session, "approver", entity=make_entity(session))
    problem(
        client.post(url, json={"approver_id": str(outsider.id)}, headers=org.h("admin")),
        422,
        "validation-error",
    )
    problem(
        client.post(url, json={"approver_id": str(org.director.id)}, headers=org.h("director")),
        403,
        "forbidden",
    )

    moved = client.post(url, json={"approver_id": str(org.director.id)}, headers=org.h("admin"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["awaiting_approver"] == str(org.director.id)
    assert moved.json()["history"][-1]["action"] == "reassigned"
    listed = client.get(f"{API}/claims", params={"awaiting": "inactive"}, headers=org.h("admin"))
    assert listed.json()["items"] == []
    approved = client.post(
        f"{API}/claims/{claim['id']}/approve", json={}, headers=bearer(session, org.director)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
