"""A page cursor is opaque: one forged to hold a timestamp at the calendar's edge, whose offset
takes it past year 1 or 9999 in UTC, is a validation problem on every list, never a 500."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.test_auth import assert_problem
from tests.factories import bearer, make_user

LISTS = {
    "admin": ["/users", "/entities", "/webhooks", "/approval-substitutes"],
    "finance": ["/invoices", "/claims", "/paper-vouchers"],
}
NIL = "00000000-0000-0000-0000-000000000000"


def forged(stamp: str) -> str:
    return base64.urlsafe_b64encode(f"{stamp}|{NIL}".encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "stamp", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"], ids=["after", "before"]
)
def test_a_cursor_past_the_calendar_is_a_validation_problem_on_every_list(
    client: TestClient, session: Session, stamp: str
) -> None:
    for role, paths in LISTS.items():
        headers = bearer(session, make_user(session, role))
        for path in paths:
            response = client.get(
                f"/api/v1{path}", params={"cursor": forged(stamp)}, headers=headers
            )
            assert response.status_code == 422, (path, response.text)
            body = response.json()
            assert_problem(body, 422, "validation-error")
            assert body["errors"][0]["field"] == "cursor", (path, body)


def test_a_cursor_within_the_calendar_still_pages(client: TestClient, session: Session) -> None:
    headers = bearer(session, make_user(session, "admin"))
    response = client.get(
        "/api/v1/users", params={"cursor": forged("2026-12-07T12:00:00+08:00")}, headers=headers
    )
    assert response.status_code == 200, response.text
