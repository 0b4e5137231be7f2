"""Issue 15 finding 12: every month, date and instant a route takes is one validated type, so
the calendar's edges are a 422 validation-error problem, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.ledger.models import Period
from tests.factories import bearer, make_entity, make_user
from tests.web.helpers import HTML, login, post_form

# Outside 1900-01 … 2999-12; 0000-01 and 9999-12 crashed the month arithmetic.
BAD_MONTHS = ["0000-01", "9999-12", "1899-12", "3000-01"]
BAD_DAYS = ["0001-01-01", "9999-12-31"]
BAD_INSTANTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]

API_GETS = [
    *(f"/api/v1/reports/input-vat?period={m}" for m in BAD_MONTHS),
    *(f"/api/v1/vouchers?period={m}" for m in BAD_MONTHS),
    *(f"/api/v1/vouchers/export?period={m}" for m in BAD_MONTHS[:2]),
    *(f"/api/v1/archive/export?from={m}&to=2026-01" for m in BAD_MONTHS[:2]),
    *(f"/api/v1/archive/export?from=2026-01&to={m}" for m in BAD_MONTHS[:2]),
    *(f"/api/v1/invoices?travel_date_from={d}" for d in BAD_DAYS),
    *(f"/api/v1/invoices?travel_date_to={d}" for d in BAD_DAYS),
    *(f"/api/v1/audit-events?from={i}" for i in BAD_INSTANTS),
    *(f"/api/v1/audit-events?to={i}" for i in BAD_INSTANTS),
    *(f"/api/v1/vouchers?updated_since={i}" for i in BAD_INSTANTS),
]


def assert_validation_problem(response: object, name: str) -> None:
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["type"] == "/problems/validation-error", body
    assert name in str(body), body


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return bearer(session, make_user(session, "admin", entity=make_entity(session)))


def test_api_refuses_months_days_and_instants_out_of_range(
    client: TestClient, admin_headers: dict[str, str]
):
    for url in API_GETS:
        pairs = [pair.split("=", 1) for pair in url.split("?", 1)[1].split("&")]
        [name] = [key for key, value in pairs if value != "2026-01"]
        response = client.get(url.replace("+", "%2B"), headers=admin_headers)
        assert_validation_problem(response, name)


def test_api_refuses_period_paths_out_of_range(
    client: TestClient, session: Session, admin_headers: dict[str, str]
):
    finance_headers = bearer(session, make_user(session, "finance", entity=make_entity(session)))
    for month in BAD_MONTHS:
        response = client.post(f"/api/v1/periods/{month}/close", headers=finance_headers)
        assert_validation_problem(response, "period")
        response = client.post(f"/api/v1/periods/{month}/reopen", headers=admin_headers)
        assert_validation_problem(response, "period")


@pytest.mark.parametrize(
    ("url", "body", "name"),
    [
        ("/api/v1/approval-substitutes", {"substitute_id": "00000000-0000-0000-0000-000000000001",
         "starts_on": "0001-01-01", "ends_on": "2026-01-01"}, "starts_on"),
        ("/api/v1/approval-substitutes", {"substitute_id": "00000000-0000-0000-0000-000000000001",
         "starts_on": "2026-01-01", "ends_on": "9999-12-31"}, "ends_on"),
    ],
)  # fmt: skip
def test_api_refuses_body_dates_out_of_range(
    client: TestClient, admin_headers: dict[str, str], url: str, body: dict[str, str], name: str
):
    assert_validation_problem(client.post(url, json=body, headers=admin_headers), name)


WEB_GETS = [
    *(f"/finance/input-vat?period={m}" for m in BAD_MONTHS[:2]),
    *(f"/finance/vouchers?period={m}" for m in BAD_MONTHS[:2]),
    *(f"/audit/archive/export?from={m}&to=2026-01" for m in BAD_MONTHS[:2]),
    *(f"/audit/log?from={d}" for d in BAD_DAYS),
    *(f"/audit/log?to={d}" for d in BAD_DAYS),
    *(f"/invoices?travel_date_to={d}" for d in BAD_DAYS),
]


def test_web_pages_refuse_months_and_days_out_of_range(client: TestClient, session: Session):
    user = make_user(session, "admin", "finance", "auditor", entity=make_entity(session))
    assert login(client, user).status_code == 303
    for url in WEB_GETS:
        response = client.get(url, headers=HTML)
        assert response.status_code == 422, (url, response.text[:500])


def test_web_period_close_refuses_a_month_out_of_range(client: TestClient, session: Session):
    user = make_user(session, "finance", entity=make_entity(session))
    assert login(client, user).status_code == 303
    response = post_form(client, "/finance/periods", "/finance/periods/0000-01/close", {})
    assert response.status_code == 422, response.text[:500]
    session.rollback()
    assert session.exec(select(Period).where(Period.period == "0000-01")).first() is None
