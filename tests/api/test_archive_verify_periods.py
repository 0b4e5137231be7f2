"""Verify compares each period's status with its last audited close or reopen: a closed month
set back to open in the database (to post into it) is a failure."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.archive_helpers import booked_claim, failures, verify
from tests.api.test_audit import run_sql

API = "/api/v1"


def test_periods_closed_and_reopened_through_the_service_verify_clean(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    finance, admin = archived.office.headers["finance"], archived.office.headers["admin"]
    for step, headers in (("close", finance), ("reopen", admin), ("close", finance)):
        answer = client.post(f"{API}/periods/2026-10/{step}", headers=headers)
        assert answer.status_code == 200, answer.text
    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    assert body["checked"]["period_statuses"] >= 2  # October, and the booking's November


def test_a_closed_period_set_back_to_open_in_the_database_fails_verify(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    closed = client.post(f"{API}/periods/2026-10/close", headers=archived.office.headers["finance"])
    assert closed.status_code == 200, closed.text
    run_sql(session, "UPDATE accounting_period SET status = 'open' WHERE period = '2026-10'")

    body = verify(client, archived.auditor)

    uscc = archived.office.entity.uscc
    assert failures(body) == {("period-status", f"period {uscc} 2026-10")}
    [failure] = body["failures"]
    assert "the audit log leaves it closed" in failure["message"]


def test_a_period_closed_in_the_database_without_the_service_fails_verify(
    client: TestClient, session: Session
):
    archived = booked_claim(client, session)
    run_sql(session, "UPDATE accounting_period SET status = 'closed'")

    body = verify(client, archived.auditor)

    assert ("period-status", f"period {archived.office.entity.uscc} 2026-11") in failures(body)


def test_a_closed_periods_row_deleted_fails_verify(client: TestClient, session: Session):
    archived = booked_claim(client, session)
    closed = client.post(f"{API}/periods/2026-10/close", headers=archived.office.headers["finance"])
    assert closed.status_code == 200, closed.text
    run_sql(session, "DELETE FROM accounting_period WHERE period = '2026-10'")

    body = verify(client, archived.auditor)

    found = [(f["object"], f["message"]) for f in body["failures"] if f["check"] == "period-status"]
    uscc = archived.office.entity.uscc
    assert found == [(f"period {uscc} 2026-10", "the audit log closed it; its row is gone")]
