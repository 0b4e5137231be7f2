"""Periods and reversals: closing and reopening by role, audited; reversal vouchers in the period
of the reversal date; the input-VAT report nets reversals out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.config import Settings
from app.ledger import deduction
from app.ledger.errors import PeriodClosed
from app.ledger.periods import ensure_period, hold_open_periods
from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    book,
    booked_voucher,
    make_office,
    problem,
    upload_invoice,
)


def _reverse(
    client: TestClient, office: Office, voucher_id: str, on: str, reason: str = "发票红冲"
) -> Any:
    return client.post(
        f"{API}/vouchers/{voucher_id}/reverse",
        json={"reversal_date": on, "reason": reason},
        headers=office.headers["finance"],
    )


def _report(client: TestClient, office: Office, period: str) -> dict[str, Any]:
    response = client.get(
        f"{API}/reports/input-vat", params={"period": period}, headers=office.headers["finance"]
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _figures(count: int, fare: str, tax: str) -> dict[str, Any]:
    return {"count": count, "fare": fare, "tax": tax}


def _vouchers(client: TestClient, office: Office) -> list[dict[str, Any]]:
    response = client.get(f"{API}/vouchers", headers=office.headers["finance"])
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _paper_claim(client: TestClient, office: Office) -> dict[str, Any]:
    paper = client.post(
        f"{API}/paper-vouchers",
        json={
            "serial_number": "PR0000553",
            "e_ticket_number": "EPR00005530000",
            "travel_date": "2025-09-12",
            "train_number": "G7",
            "departure_station": "北京南",
            "arrival_station": "上海虹桥",
            "seat_class": "二等座",
            "fare": "553.00",
            "passenger_name": "张三",
            "passenger_id_masked": "1101011990****1234",
        },
        headers=office.headers["employee"],
    )
    assert paper.status_code == 201, paper.text
    received = client.post(
        f"{API}/paper-vouchers/{paper.json()['id']}/receive",
        json={"received_on": "2026-11-01", "location": "A-3"},
        headers=office.headers["finance"],
    )
    assert received.status_code == 200, received.text
    return approved_claim(client, office, [{"paper_voucher_id": paper.json()["id"]}])


def _confirm(client: TestClient, office: Office, invoice_id: str, on: str) -> None:
    response = client.post(
        f"{API}/invoices/{invoice_id}/deduction-confirmation",
        json={"confirmed_on": on},
        headers=office.headers["finance"],
    )
    assert response.status_code == 200, response.text


def test_reversals_post_negated_lines_in_their_own_period_and_net_out_of_the_vat_report(
    client: TestClient, session: Session
):
    office = make_office(session)
    a = upload_invoice(client, office, session, fare=Decimal("553.00"))
    b = upload_invoice(client, office, session, fare=Decimal("9.50"))
    claims = [approved_claim(client, office, [{"invoice_id": i["id"]}]) for i in (a, b)]
    claims.append(_paper_claim(client, office))
    booked = [
        booked_voucher(client, office, claim["id"], f"2026-11-2{n}")
        for n, claim in enumerate(claims)
    ]
    assert [v["number"] for v in booked] == [f"记-2026-11-000{n}" for n in (1, 2, 3)]
    _confirm(client, office, a["id"], "2026-11-20")
    _confirm(client, office, b["id"], "2026-11-21")
    november = _report(client, office, "2026-11")
    assert november["e_invoices"] == _figures(2, "562.50", "46.44")
    assert november["paper_vouchers"] == _figures(1, "553.00", "45.66")
    assert november["total"] == _figures(3, "1115.50", "92.10")

    reversed_a = _reverse(client, office, booked[0]["id"], "2026-11-25")
    assert reversed_a.status_code == 201, reversed_a.text
    red = reversed_a.json()
    # The same sequence as bookings and payments, in the period of the reversal date.
    assert (red["number"], red["period"], red["date"]) == (
        "记-2026-11-0004",
        "2026-11",
        "2026-11-25",
    )
    assert (red["kind"], red["reverses_id"], red["claim_id"]) == (
        "reversal",
        booked[0]["id"],
        claims[0]["id"],
    )
    assert [
        (line["account_code"], line["debit"], line["credit"], line["invoice_id"])
        for line in red["lines"]
    ] == [
        ("6602.03", "-507.34", "0.00", a["id"]),
        ("2221.01.01", "-45.66", "0.00", a["id"]),
        ("2241", "0.00", "-553.00", None),
    ]
    assert {line["memo"] for line in red["lines"]} == {"冲销 记-2026-11-0001: 发票红冲"}
    assert (red["total"], red["total_in_words"]) == ("-553.00", "负人民币伍佰伍拾叁元整")

    problem(_reverse(client, office, booked[0]["id"], "2026-11-26"), 409, "invalid-state")
    problem(_reverse(client, office, red["id"], "2026-11-26"), 409, "invalid-state")
    assert _report(client, office, "2026-11")["e_invoices"] == _figures(1, "9.50", "0.78")

    # A correction cannot predate what it corrects.
    early = problem(
        _reverse(client, office, booked[1]["id"], "2026-11-20"), 422, "validation-error"
    )
    assert early["errors"][0]["field"] == "reversal_date"
    december_url = f"{API}/periods/2026-12"
    closed = client.post(f"{december_url}/close", headers=office.headers["finance"])
    assert closed.status_code == 200, closed.text
    problem(_reverse(client, office, booked[1]["id"], "2026-12-02"), 409, "period-closed")
    assert len(_vouchers(client, office)) == 4
    reopened = client.post(f"{december_url}/reopen", headers=office.headers["admin"])
    assert reopened.status_code == 200, reopened.text

    december = [_reverse(client, office, v["id"], "2026-12-02").json() for v in booked[1:]]
    assert [v["number"] for v in december] == ["记-2026-12-0001", "记-2026-12-0002"]
    # E-invoices count in their 用途确认 month, so both reversals net out of November; the paper
    # voucher stays in its booking month and its reversal subtracts in December.
    november = _report(client, office, "2026-11")
    assert november["e_invoices"] == _figures(0, "0.00", "0.00")
    assert november["paper_vouchers"] == _figures(1, "553.00", "45.66")
    assert _report(client, office, "2026-12")["paper_vouchers"] == _figures(-1, "-553.00", "-45.66")
    assert _report(client, office, "2026-12")["total"] == _figures(-1, "-553.00", "-45.66")


def _events(client: TestClient, office: Office, action: str) -> list[dict[str, Any]]:
    response = client.get(
        f"{API}/audit-events", params={"action": action}, headers=office.headers["auditor"]
    )
    assert response.status_code == 200, response.text
    return [e for e in response.json()["items"] if e["entity_id"] == str(office.entity.id)]


def test_finance_closes_admins_reopen_both_audited_and_a_closed_period_refuses_bookings(
    client: TestClient, session: Session
):
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    url = f"{API}/periods/2026-10"

    for who in ("employee", "auditor"):
        problem(client.post(f"{url}/close", headers=office.headers[who]), 403, "forbidden")
    closed = client.post(f"{url}/close", headers=office.headers["finance"])
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_by"] == str(office.finance.id)
    problem(client.post(f"{url}/close", headers=office.headers["finance"]), 409, "invalid-state")
    periods = client.get(f"{API}/periods", headers=office.headers["auditor"]).json()
    assert [(p["period"], p["status"], p["vouchers"]) for p in periods] == [
        ("2026-10", "closed", 0)
    ]

    refused = problem(book(client, office, claim["id"], "2026-10-31"), 409, "period-closed")
    assert refused["period"] == "2026-10"
    after = client.get(f"{API}/claims/{claim['id']}", headers=office.headers["finance"]).json()
    assert (after["state"], after["voucher_ids"]) == ("approved", [])
    assert after["history"][-1]["action"] == "approved"
    invoice_now = client.get(f"{API}/invoices/{invoice['id']}", headers=office.headers["finance"])
    assert invoice_now.json()["status"] == "claimed"
    assert _vouchers(client, office) == []
    assert _events(client, office, "claim.booked") == []

    problem(client.post(f"{url}/reopen", headers=office.headers["finance"]), 403, "forbidden")
    reopened = client.post(f"{url}/reopen", headers=office.headers["admin"])
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["closed_at"]) == ("open", None)
    closing = _events(client, office, "period.closed")
    reopening = _events(client, office, "period.reopened")
    assert [(e["actor_id"], e["object_id"], e["details"]) for e in closing] == [
        (str(office.finance.id), f"{office.entity.id}:2026-10", {"period": "2026-10"})
    ]
    assert [e["actor_id"] for e in reopening] == [str(office.admin.id)]

    # The refused attempt took no number: the first voucher of October is still 0001.
    assert booked_voucher(client, office, claim["id"], "2026-10-31")["number"] == "记-2026-10-0001"


def test_a_closed_periods_input_vat_neither_loses_nor_gains_a_confirmation(
    client: TestClient, session: Session
):
    office = make_office(session)
    finance = office.headers["finance"]
    inside, outside = (
        upload_invoice(client, office, session),
        upload_invoice(client, office, session),
    )
    _confirm(client, office, inside["id"], "2026-10-20")
    declared = _report(client, office, "2026-10")
    closed = client.post(f"{API}/periods/2026-10/close", headers=finance)
    assert closed.status_code == 200, closed.text

    def confirm(invoice_id: str, on: str) -> Any:
        return client.post(
            f"{API}/invoices/{invoice_id}/deduction-confirmation",
            json={"confirmed_on": on},
            headers=finance,
        )

    moved_out = confirm(inside["id"], "2026-12-01")
    moved_in = confirm(outside["id"], "2026-10-25")
    bulk_in = client.post(
        f"{API}/invoices/bulk-deduction-confirmation",
        json={"invoice_ids": [outside["id"]], "confirmed_on": "2026-10-25"},
        headers=finance,
    )

    problem(moved_out, 409, "period-closed")
    problem(moved_in, 409, "period-closed")
    assert bulk_in.status_code == 200, bulk_in.text
    (refused,) = bulk_in.json()["results"]
    assert (refused["outcome"], refused["problem"]["type"]) == (
        "refused",
        "/problems/period-closed",
    )
    assert _report(client, office, "2026-10") == declared
    # The same date again moves nothing: answered as it stands, even in a closed month.
    assert confirm(inside["id"], "2026-10-20").json()["deduction_confirmed_on"] == "2026-10-20"
    # An unknown field is refused, as on every other body.
    assert confirm(outside["id"], "2026-11-02").status_code == 200
    assert (
        client.post(
            f"{API}/invoices/{outside['id']}/deduction-confirmation",
            json={"confirmed_on": "2026-11-03", "confirmd_by": "x"},
            headers=finance,
        ).status_code
        == 422
    )


def test_a_confirmation_holds_its_months_open_until_it_commits(
    client: TestClient, session: Session, settings: Settings, app: FastAPI
):
    if settings.is_sqlite:
        pytest.skip("SQLite takes its write lock at BEGIN: a close never overlaps a confirmation")
    office = make_office(session)
    entity_id = office.entity.id
    with Session(app.state.engine) as earlier:  # October's row exists, November's does not
        ensure_period(earlier, entity_id, "2026-10")
        earlier.commit()
    with Session(app.state.engine) as confirming, Session(app.state.engine) as closing:
        hold_open_periods(confirming, entity_id, [dt.date(2026, 11, 1), dt.date(2026, 10, 20)])
        # A close of either month has to wait for the confirmation's commit: on the row's
        # lock, or on the row the confirmation is inserting.
        for close_step in (
            lambda: closing.execute(
                text("UPDATE accounting_period SET status = 'closed' "
                     "WHERE entity_id = :e AND period = '2026-10'"),
                {"e": entity_id},
            ),
            lambda: ensure_period(closing, entity_id, "2026-11"),
        ):  # fmt: skip
            closing.execute(text("SET LOCAL lock_timeout = '200ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                close_step()
            closing.rollback()
        confirming.rollback()
    closed = client.post(f"{API}/periods/2026-10/close", headers=office.headers["finance"])
    assert closed.status_code == 200, closed.text
    with Session(app.state.engine) as confirming, pytest.raises(PeriodClosed):
        hold_open_periods(confirming, entity_id, [dt.date(2026, 10, 20)])


def test_a_confirmation_that_lost_a_race_is_refused_not_applied(
    client: TestClient, session: Session, settings: Settings, app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
):  # fmt: skip
    if settings.is_sqlite:
        pytest.skip("SQLite takes its write lock at BEGIN: two confirmations never overlap")
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    held = deduction.hold_open_periods

    def another_commits_first(session_: Session, entity_id: Any, days: list[dt.date]) -> None:
        # Another clerk confirms the invoice into November between this one's read and lock.
        with Session(app.state.engine) as other:
            other.execute(
                text("UPDATE invoice SET deduction_confirmed_on = '2026-11-05' WHERE id = :i"),
                {"i": invoice["id"]},
            )
            other.commit()
        held(session_, entity_id, days)

    monkeypatch.setattr(deduction, "hold_open_periods", another_commits_first)
    answer = client.post(
        f"{API}/invoices/{invoice['id']}/deduction-confirmation",
        json={"confirmed_on": "2026-10-20"},
        headers=office.headers["finance"],
    )

    problem(answer, 409, "invalid-state")
    monkeypatch.undo()
    now = client.get(f"{API}/invoices/{invoice['id']}", headers=office.headers["finance"])
    assert now.json()["deduction_confirmed_on"] == "2026-11-05"
