"""Dashboards: counts of waiting work that link to their lists, spending charts drawn on the
server as SVG (no script, no style attributes) with the same numbers in a table."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.kit.dates import business_today
from app.ledger.spending import recent_periods
from app.web.charts import bar_chart, column_chart
from tests.api.ledger_helpers import Office, approved_claim, book, make_office, upload_invoice
from tests.web.helpers import HTML, login
from tests.web.test_web_claims import new_claim


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _tally(page: str, href: str) -> int:
    match = re.search(
        rf'<a class="tally[^"]*" href="{re.escape(href)}"><strong>(\d+)</strong>', page
    )
    assert match, f"no count linking to {href}"
    return int(match.group(1))


def test_each_role_sees_what_awaits_it_as_counts_linking_to_the_lists(
    client: TestClient, session: Session, office: Office
):
    first = upload_invoice(client, office, session)
    upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [first["id"]])
    mine = client.get("/", headers=HTML).text
    assert _tally(mine, "/invoices?status=available") == 1
    assert _tally(mine, "/claims?state=draft") == 1
    assert "/approvals" not in mine.split("<main", 1)[1]  # not an approver
    assert "<svg" not in mine  # spending is for finance and admins

    submitted = client.post(f"/api/v1/claims/{claim_id}/submit", headers=office.headers["employee"])
    assert submitted.status_code == 200, submitted.text
    client.cookies.clear()
    login(client, office.manager)
    assert _tally(client.get("/", headers=HTML).text, "/approvals") == 1


def test_finance_sees_spending_by_month_and_department_beside_its_numbers(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session, fare=Decimal("553.00"))
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    today = business_today().isoformat()
    assert book(client, office, claim["id"], today).status_code == 200
    login(client, office.finance)
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    text = page.text
    finance_counts = re.findall(r'href="/finance/claims"><strong>(\d+)</strong><span>([^<]+)', text)
    assert finance_counts == [("0", "待入账"), ("1", "待支付"), ("1", "待用途确认")]
    assert text.count('<svg viewBox="0 0 640') == 2
    assert " style=" not in text
    assert "<script" not in text.split("</header>", 1)[1]
    period = business_today().strftime("%Y-%m")
    months = text.split('class="data compact spending-months"', 1)[1]
    assert re.search(
        rf"<td>{period}</td><td class=\"num\">¥553.00</td><td class=\"num\">1</td>", months
    )
    departments = text.split('class="data compact spending-departments"', 1)[1]
    assert "¥553.00" in departments
    assert "<title>" in text  # each bar names its value for assistive technology


def test_charts_scale_bars_to_the_largest_amount():
    chart = column_chart([("1月", Decimal("0")), ("2月", Decimal("50")), ("3月", Decimal("100"))])
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0
    assert heights[2] == pytest.approx(2 * heights[1], abs=0.2)
    assert all(bar.y + bar.height == pytest.approx(chart.baseline_y) for bar in chart.bars)
    flat = bar_chart([("销售部", Decimal("20000.00")), ("研发部", Decimal("5000.00"))])
    assert flat.bars[0].width == pytest.approx(4 * flat.bars[1].width, abs=0.2)
    assert flat.bars[0].value == "¥20,000.00"
    assert column_chart([]).empty


def test_recent_periods_cross_the_year():
    assert recent_periods(dt.date(2026, 2, 10), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
