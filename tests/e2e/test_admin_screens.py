"""The people, periods and filter screens on a 390 × 844 phone: no sideways scrolling, 44 px
tap targets, and the steps really work (a period closed after its confirm page, a user
deactivated whose API token then stops, a wrong filter answered on its own form)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.kit.dates import business_today
from app.ledger.periods import period_of
from tests.e2e.actions import DEMO_PASSWORDS, log_in
from tests.e2e.live_server import LiveServer
from tests.e2e.phone import PHONE, thumb_friendly

pytestmark = pytest.mark.e2e


def _on_phone(page: Page, context: BrowserContext, server: LiveServer, who: str) -> None:
    context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, server, who)


def _visit(page: Page, url: str) -> None:
    page.goto(url)
    thumb_friendly(page)


def test_finance_closes_a_month_after_confirming_on_the_phone(
    page: Page, browser_context: BrowserContext, live_server: LiveServer
):
    _on_phone(page, browser_context, live_server, "finance")
    _visit(page, f"{live_server.url}/finance/periods")
    month = period_of(business_today().replace(day=1) - dt.timedelta(days=40))
    row = page.locator(f"#period-{month}")
    row.get_by_role("link", name="结账…").click()
    # A click that navigates returns before the next page exists: wait for it before measuring.
    page.wait_for_url(f"**/finance/periods/{month}/close")
    thumb_friendly(page)
    expect(page.locator("h1")).to_contain_text(f"确认结账 {month}")
    page.click("#confirm-submit")
    expect(page.locator("#period-done")).to_contain_text(f"{month} 已结账")
    thumb_friendly(page)
    expect(page.locator(f"#period-{month}")).to_contain_text("已结账")
    # Wrong filters come back on their own forms, still phone-sized.
    _visit(page, f"{live_server.url}/finance/vouchers?period=2026-13")
    expect(page.locator(".field-error")).to_contain_text("请填写期间，格式 YYYY-MM")
    _visit(page, f"{live_server.url}/audit/archive/export?from=2026-05&to=2026-03")
    expect(page.locator("#to-error")).to_contain_text("截止期间不能早于起始期间")
    expect(page.locator("input[name=from]")).to_have_value("2026-05")


def test_admin_deactivates_a_user_on_the_phone_and_their_token_stops(
    page: Page, browser_context: BrowserContext, live_server: LiveServer
):
    login = httpx.post(
        f"{live_server.url}/api/v1/auth/token",
        data={"username": "auditor", "password": DEMO_PASSWORDS["auditor"]},
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert httpx.get(f"{live_server.url}/api/v1/users/me", headers=headers).status_code == 200
    _on_phone(page, browser_context, live_server, "admin")
    _visit(page, f"{live_server.url}/admin/users")
    page.get_by_role("link", name="auditor", exact=True).click()
    page.wait_for_url("**/admin/users/*")
    thumb_friendly(page)
    page.click("#deactivate")
    page.wait_for_url("**/admin/users/*/deactivate")
    thumb_friendly(page)
    page.click("#confirm-submit")
    expect(page.locator("#user-done")).to_contain_text("已停用该用户")
    thumb_friendly(page)
    assert httpx.get(f"{live_server.url}/api/v1/users/me", headers=headers).status_code == 401
    page.click("#reactivate")
    page.click("#confirm-submit")
    expect(page.locator("#user-done")).to_contain_text("已重新启用该用户")
    _visit(page, f"{live_server.url}/admin/reassign")
    _visit(page, f"{live_server.url}/account/password")
    _visit(page, f"{live_server.url}/approval-substitutes")
    _visit(page, f"{live_server.url}/audit/log?from=2026-11-20&to=2026-11-01")
    expect(page.locator("#filter-errors")).to_be_visible()


def test_an_approver_opens_the_substitutes_page_on_the_phone(
    page: Page, browser_context: BrowserContext, live_server: LiveServer
):
    _on_phone(page, browser_context, live_server, "manager")
    _visit(page, f"{live_server.url}/approval-substitutes")
    expect(page.locator("#substitute-form")).to_be_visible()
    # No other approver in the demo: naming nobody is refused beside the field, in words.
    page.evaluate(
        "document.querySelector('select[name=substitute_id]').removeAttribute('required')"
    )
    page.click("#substitute-save")
    expect(page.locator("#substitute-errors")).to_be_visible()
    thumb_friendly(page)
