"""Periods page: every month from the entity's first claim or voucher (or twelve back) to now,
open or closed with voucher counts; closing and reopening each go through a confirmation step."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.claims.models import Claim
from app.kit.dates import business_today
from app.ledger.models import Period
from app.ledger.periods import period_of
from tests.api.ledger_helpers import Office, approved_claim, make_office, upload_invoice
from tests.web.helpers import HTML, login, post_form

PAGE = "/finance/periods"


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _months_back(count: int) -> str:
    day = business_today().replace(day=1)
    for _ in range(count):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return period_of(day)


def _listed(page: str) -> list[str]:
    return re.findall(r'<tr id="period-(\d{4}-\d{2})">', page)


def _status(session: Session, office: Office, period: str) -> str | None:
    session.commit()
    row = session.get(Period, (office.entity.id, period), populate_existing=True)
    return row.status if row else None


def test_every_month_since_the_first_claim_is_listed(
    client: TestClient, session: Session, office: Office
):
    login(client, office.finance)
    empty = _listed(client.get(PAGE, headers=HTML).text)
    # No history yet: the last twelve months, newest first.
    assert empty == [_months_back(n) for n in range(12)]
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=500)
    session.commit()  # end the read snapshot taken before the app wrote
    session.execute(
        update(Claim).where(col(Claim.id) == uuid.UUID(claim["id"])).values(created_at=long_ago)
    )
    session.commit()
    listed = _listed(client.get(PAGE, headers=HTML).text)
    first = period_of(long_ago.date())
    assert listed[0] == period_of(business_today())
    assert listed[-1] == first
    assert len(listed) == len(set(listed)) >= 16  # months without vouchers are there too
    assert listed == sorted(listed, reverse=True)


def test_closing_asks_for_confirmation_and_admin_reopens(
    client: TestClient, session: Session, office: Office
):
    month = _months_back(2)
    login(client, office.finance)
    page = client.get(PAGE, headers=HTML).text
    close_link = f'href="/finance/periods/{month}/close"'
    assert close_link in page
    assert "/reopen" not in page
    confirm = client.get(f"{PAGE}/{month}/close", headers=HTML)
    assert confirm.status_code == 200
    assert f"确认结账 {month}？" in confirm.text
    unconfirmed = post_form(client, f"{PAGE}/{month}/close", f"{PAGE}/{month}/close", {})
    assert unconfirmed.status_code == 200
    assert "确认结账" in unconfirmed.text
    assert _status(session, office, month) is None  # nothing happened
    closed = post_form(client, f"{PAGE}/{month}/close", f"{PAGE}/{month}/close", {"confirm": "yes"})
    assert closed.status_code == 303
    assert _status(session, office, month) == "closed"
    assert f"{month} 已结账" in client.get(closed.headers["location"], headers=HTML).text
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "period.closed")).all()
    assert [e.details["period"] for e in events] == [month]
    client.cookies.clear()
    login(client, office.admin)
    listing = client.get(PAGE, headers=HTML).text
    assert f'href="/finance/periods/{month}/reopen"' in listing
    confirm = client.get(f"{PAGE}/{month}/reopen", headers=HTML)
    assert f"确认反结账 {month}？" in confirm.text
    reopened = post_form(
        client, f"{PAGE}/{month}/reopen", f"{PAGE}/{month}/reopen", {"confirm": "yes"}
    )
    assert reopened.status_code == 303
    assert _status(session, office, month) == "open"


def test_a_bad_period_keeps_the_page_with_the_reason(client: TestClient, office: Office):
    login(client, office.finance)
    response = client.get(f"{PAGE}/2026-13/close", headers=HTML)
    assert response.status_code == 422
    assert "请填写期间，格式 YYYY-MM" in response.text
    assert _listed(response.text)  # the months are still there to pick from


def test_an_already_closed_month_offers_no_second_close(
    client: TestClient, session: Session, office: Office
):
    month = _months_back(1)
    login(client, office.finance)
    post_form(client, f"{PAGE}/{month}/close", f"{PAGE}/{month}/close", {"confirm": "yes"})
    again = client.get(f"{PAGE}/{month}/close", headers=HTML)
    assert 'id="already"' in again.text
    assert 'id="confirm-form"' not in again.text
    auditor_view = TestClient(client.app)
    login(auditor_view, office.auditor)
    page = auditor_view.get(PAGE, headers=HTML).text
    assert month in page
    assert "/close" not in page
    assert auditor_view.get(f"{PAGE}/{month}/close", headers=HTML).status_code == 403
