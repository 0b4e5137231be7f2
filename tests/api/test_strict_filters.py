"""Unknown query parameters and backwards ranges are refused (422), never silently ignored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.claims_support import clean_invoice, make_org, problem

API = "/api/v1"


def test_an_unknown_filter_is_refused_not_ignored(client: TestClient, session: Session):
    org = make_org(session)
    clean_invoice(client, session, org)
    body = problem(
        client.get(f"{API}/invoices", params={"train_number": "G1234"}, headers=org.h("employee")),
        422,
        "validation-error",
    )
    assert body["errors"] == [{"field": "train_number", "message": "unknown query parameter"}]
    # Declared filters, aliases included, still work.
    ok = client.get(
        f"{API}/invoices", params={"status": "available", "limit": 5}, headers=org.h("employee")
    )
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["items"]) == 1


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/claims", {"status": "draft"}),  # the claim filter is `state`
        ("/vouchers", {"month": "2026-11"}),
        ("/audit-events", {"user": "admin"}),
        ("/users/me", {"verbose": "1"}),
    ],
)
def test_unknown_parameters_are_refused_on_every_api_route(
    client: TestClient, session: Session, path: str, params: dict[str, str]
):
    org = make_org(session)
    response = client.get(f"{API}{path}", params=params, headers=org.h("admin"))
    body = problem(response, 422, "validation-error")
    assert [e["field"] for e in body["errors"]] == list(params)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/invoices", "status=void&status=available"),
        ("/vouchers", "period=2026-12&period=2026-11"),
        ("/claims", "limit=5&limit=50"),
    ],
)
def test_a_filter_given_twice_is_refused_not_reduced_to_its_last_value(
    client: TestClient, session: Session, path: str, query: str
):
    org = make_org(session)
    response = client.get(f"{API}{path}?{query}", headers=org.h("finance"))
    body = problem(response, 422, "validation-error")
    name = query.split("=", 1)[0]
    assert body["errors"] == [{"field": name, "message": "given more than once"}]


def test_backwards_date_ranges_are_refused(client: TestClient, session: Session):
    org = make_org(session)
    clean_invoice(client, session, org)
    body = problem(
        client.get(
            f"{API}/invoices",
            params={"travel_date_from": "2026-11-30", "travel_date_to": "2026-11-01"},
            headers=org.h("employee"),
        ),
        422,
        "validation-error",
    )
    assert body["errors"][0]["field"] == "travel_date_to"
    same_day = client.get(
        f"{API}/invoices",
        params={"travel_date_from": "2026-11-01", "travel_date_to": "2026-11-01"},
        headers=org.h("employee"),
    )
    assert same_day.status_code == 200
    audit = client.get(
        f"{API}/audit-events",
        params={"from": "2026-11-30T00:00:00+08:00", "to": "2026-11-01T00:00:00+08:00"},
        headers=org.h("admin"),
    )
    assert problem(audit, 422, "validation-error")["errors"][0]["field"] == "to"
    archive = client.get(
        f"{API}/archive/export",
        params={"from": "2026-11", "to": "2026-10", "entity": str(org.entity.id)},
        headers=org.h("auditor"),
    )
    problem(archive, 422, "validation-error")


def test_a_body_that_is_not_json_names_the_body_and_where(client: TestClient, session: Session):
    org = make_org(session)
    response = client.post(
        f"{API}/claims",
        content=b'{"title": "x",',
        headers={**org.h("employee"), "content-type": "application/json"},
    )
    body = problem(response, 422, "validation-error")
    assert body["errors"] == [
        {"field": "body", "message": "the body is not valid JSON at character 14"}
    ]
