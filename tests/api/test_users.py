"""Users over the API: creation with profiles and entities, defaults, duplicates, bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import bearer, make_entity, make_user, random_id


def test_admin_creates_an_employee_with_profile(client: TestClient, session: Session):
    entity = make_entity(session)
    admin = make_user(session, "admin", entity=entity)
    manager = make_user(session, "approver", entity=entity)
    response = client.post(
        "/api/v1/users",
        json={
            "username": "Zhang.San",
            "display_name": "张三",
            "password": "long enough password",
            "roles": ["employee", "approver"],
            "entity_ids": [str(entity.id)],
            "profile": {
                "passenger_name": "张三",
                "id_last4": "123x",
                "grade": 3,
                "department": "销售部",
                "cost_centre": "CC-01",
                "manager_id": str(manager.id),
                "employment_type": "dispatched",
            },
        },
        headers=bearer(session, admin),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "zhang.san"
    assert body["roles"] == ["approver", "employee"]
    assert body["entity_ids"] == [str(entity.id)]
    assert body["profile"]["id_last4"] == "123X"
    assert body["profile"]["manager_id"] == str(manager.id)
    assert body["profile"]["employment_type"] == "dispatched"
    assert "password" not in body
    assert "password_hash" not in body
    token = client.post(
        "/api/v1/auth/token", data={"username": "zhang.san", "password": "long enough password"}
    )
    assert token.status_code == 200


def test_a_user_created_while_one_entity_exists_belongs_to_it(client: TestClient, session: Session):
    entity = make_entity(session)
    admin = make_user(session, "admin", entity=entity)
    body = client.post(
        "/api/v1/users",
        json={"username": "solo", "display_name": "S", "roles": ["employee"]},
        headers=bearer(session, admin),
    ).json()
    assert body["entity_ids"] == [str(entity.id)]


def test_no_default_entity_when_there_are_several(client: TestClient, session: Session):
    make_entity(session)
    make_entity(session)
    admin = make_user(session, "admin")
    body = client.post(
        "/api/v1/users",
        json={"username": "many", "display_name": "M", "roles": ["employee"]},
        headers=bearer(session, admin),
    ).json()
    assert body["entity_ids"] == []


def test_duplicate_username_is_a_409(client: TestClient, session: Session):
    admin = make_user(session, "admin", username="root-admin")
    response = client.post(
        "/api/v1/users",
        json={"username": "ROOT-ADMIN", "display_name": "x", "roles": ["employee"]},
        headers=bearer(session, admin),
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/duplicate-username"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"display_name": "x", "roles": ["employee"]}, "username"),
        ({"username": "a b", "display_name": "x", "roles": ["employee"]}, "username"),
        ({"username": "张三", "display_name": "x", "roles": ["employee"]}, "username"),
        ({"username": "ok", "display_name": "x", "roles": []}, "roles"),
        ({"username": "ok", "display_name": "x", "roles": ["king"]}, "roles.0"),
        (
            {"username": "ok", "display_name": "x", "roles": ["employee"], "password": "short"},
            "password",
        ),
        (
            {
                "username": "ok",
                "display_name": "x",
                "roles": ["employee"],
                "profile": {"id_last4": "12345"},
            },
            "profile.id_last4",
        ),
        (
            {
                "username": "ok",
                "display_name": "x",
                "roles": ["employee"],
                "profile": {"employment_type": "intern"},
            },
            "profile.employment_type",
        ),
        (
            {
                "username": "ok",
                "display_name": "x",
                "roles": ["employee"],
                "profile": {"grade": -1},
            },
            "profile.grade",
        ),
        (
            {
                "username": "ok",
                "display_name": "x",
                "roles": ["employee"],
                "entity_ids": ["not-a-uuid"],
            },
            "entity_ids.0",
        ),
    ],
)
def test_bad_user_bodies_are_422_naming_the_field(
    client: TestClient, session: Session, payload: dict[str, object], field: str
):
    admin = make_user(session, "admin")
    response = client.post("/api/v1/users", json=payload, headers=bearer(session, admin))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_unknown_references_are_422(client: TestClient, session: Session):
    admin = make_user(session, "admin")
    headers = bearer(session, admin)
    base = {"username": "ref", "display_name": "x", "roles": ["employee"]}
    no_entity = client.post(
        "/api/v1/users", json={**base, "entity_ids": [random_id()]}, headers=headers
    )
    assert no_entity.status_code == 422
    assert no_entity.json()["errors"][0]["field"] == "entity_ids"
    no_manager = client.post(
        "/api/v1/users", json={**base, "profile": {"manager_id": random_id()}}, headers=headers
    )
    assert no_manager.status_code == 422
    assert no_manager.json()["errors"][0]["field"] == "profile.manager_id"


def test_users_list_is_admin_only_and_paginated(client: TestClient, session: Session):
    admin = make_user(session, "admin")
    for _ in range(3):
        make_user(session, "employee")
    page = client.get("/api/v1/users", params={"limit": 2}, headers=bearer(session, admin)).json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    rest = client.get(
        "/api/v1/users",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=bearer(session, admin),
    ).json()
    assert len(rest["items"]) == 2
    assert rest["next_cursor"] is None
