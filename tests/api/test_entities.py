"""Legal entities over the API: USCC validation, duplicates, visibility and hostile input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import bearer, make_entity, make_uscc, make_user


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return bearer(session, make_user(session, "admin"))


def test_admin_registers_an_entity(client: TestClient, admin_headers: dict[str, str]):
    uscc = make_uscc(424242)
    response = client.post(
        "/api/v1/entities",
        json={"name": "北京示例有限公司", "uscc": uscc.lower(), "fonds_code": "J001"},
        headers=admin_headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["uscc"] == uscc
    assert body["taxpayer_type"] == "general"
    assert body["fonds_code"] == "J001"
    listed = client.get("/api/v1/entities", headers=admin_headers).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize(
    ("uscc", "why"),
    [
        ("91310000MA1FL0DEM1", "wrong check digit"),
        ("91310000MA1FL0DEM", "17 characters"),
        ("91310000MA1FL0DEMOO", "19 characters"),
        ("91310000MA1FL0DEIO", "letters outside the GB 32100 alphabet"),
        ("９１３１００００ＭＡ１ＦＬ０ＤＥＭ０", "full-width digits"),
        ("", "empty"),
    ],
)
def test_invalid_uscc_is_a_422_naming_the_field(
    client: TestClient, admin_headers: dict[str, str], uscc: str, why: str
):
    response = client.post(
        "/api/v1/entities", json={"name": "公司", "uscc": uscc}, headers=admin_headers
    )
    assert response.status_code == 422, why
    body = response.json()
    assert body["type"] == "/problems/validation-error"
    assert [e["field"] for e in body["errors"]] == ["uscc"]


def test_duplicate_uscc_is_a_409(
    client: TestClient, session: Session, admin_headers: dict[str, str]
):
    entity = make_entity(session)
    response = client.post(
        "/api/v1/entities", json={"name": "again", "uscc": entity.uscc}, headers=admin_headers
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/duplicate-entity"
    assert response.json()["uscc"] == entity.uscc


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"uscc": make_uscc(7)}, "name"),
        ({"name": "x"}, "uscc"),
        ({"name": 12, "uscc": make_uscc(7)}, "name"),
        ({"name": ["a"], "uscc": make_uscc(7)}, "name"),
        ({"name": "x" * 201, "uscc": make_uscc(7)}, "name"),
        ({"name": "   ", "uscc": make_uscc(7)}, "name"),
        ({"name": "bad\u0000name", "uscc": make_uscc(7)}, "name"),
        ({"name": "rtl\u202ename", "uscc": make_uscc(7)}, "name"),
        ({"name": "lone \ud800 surrogate", "uscc": make_uscc(7)}, "name"),
        ({"name": "x", "uscc": make_uscc(7), "taxpayer_type": "huge"}, "taxpayer_type"),
        ({"name": "x", "uscc": make_uscc(7), "extra": 1}, "extra"),
    ],
)
def test_bad_entity_bodies_are_422_problems(
    client: TestClient, admin_headers: dict[str, str], payload: dict[str, object], field: str
):
    # json.dumps escapes non-ASCII, so even a lone surrogate travels as the client sent it.
    response = client.post(
        "/api/v1/entities",
        content=json.dumps(payload),
        headers={**admin_headers, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_unicode_names_are_kept_exactly(client: TestClient, admin_headers: dict[str, str]):
    name = "𠮷野家（中国）餐饮·管理有限公司 👍"
    response = client.post(
        "/api/v1/entities", json={"name": name, "uscc": make_uscc(31337)}, headers=admin_headers
    )
    assert response.status_code == 201
    assert response.json()["name"] == name


def test_non_json_and_oversized_bodies_are_problems(
    client: TestClient, admin_headers: dict[str, str]
):
    garbled = client.post(
        "/api/v1/entities",
        content=b"{not json",
        headers={**admin_headers, "content-type": "application/json"},
    )
    assert garbled.status_code == 422
    assert garbled.json()["type"] == "/problems/validation-error"
    huge = client.post(
        "/api/v1/entities",
        json={"name": "x" * 2_000_000, "uscc": make_uscc(8)},
        headers=admin_headers,
    )
    assert huge.status_code == 413
    assert huge.json()["type"] == "/problems/too-large"


def test_members_see_only_their_entities(client: TestClient, session: Session):
    mine = make_entity(session)
    make_entity(session)
    user = make_user(session, "finance", entity=mine)
    listed = client.get("/api/v1/entities", headers=bearer(session, user)).json()
    assert [e["id"] for e in listed["items"]] == [str(mine.id)]


def test_pagination_walks_every_entity_once(
    client: TestClient, session: Session, admin_headers: dict[str, str]
):
    created = {str(make_entity(session).id) for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/entities", params=params, headers=admin_headers).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"limit": "x"}, {"cursor": "@@"}])
def test_bad_paging_parameters_are_422(
    client: TestClient, admin_headers: dict[str, str], params: dict[str, object]
):
    response = client.get("/api/v1/entities", params=params, headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation-error"
