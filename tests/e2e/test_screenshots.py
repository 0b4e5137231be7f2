"""Screenshots of the main pages for the README (opt-in: RAILCLAIM_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.e2e.actions import log_in, upload_files
from tests.e2e.live_server import LiveServer, serve
from tests.e2e.phone import PHONE, fits_the_phone

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("RAILCLAIM_SCREENSHOTS") != "1",
        reason="set RAILCLAIM_SCREENSHOTS=1 to refresh docs/screenshots",
    ),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


TAKEN: list[str] = []


def shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    TAKEN.append(name)


def shoot_both(page: Page, name: str, *, full_page: bool = True) -> None:
    """The page at desktop width, then the 390 × 844 phone's screen (`<name>-phone.png`).

    The phone shot is one screenful, what the person sees (and a README column can hold);
    a full-page shot would also pin sticky bars, like the running total, mid-page."""
    shoot(page, name, full_page=full_page)
    desk = page.viewport_size
    page.set_viewport_size(PHONE)
    page.mouse.move(0, 0)  # no hover left over from the desktop layout
    fits_the_phone(page)  # one screenful would crop what sticks out sideways: refuse it
    shoot(page, f"{name}-phone", full_page=False)
    if desk is not None:
        page.set_viewport_size(desk)


def png_width(path: Path) -> int:
    # The IHDR chunk follows the 8-byte signature: length, type, then width and height.
    return int(struct.unpack(">I", path.read_bytes()[16:20])[0])


def _register_paper_voucher(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/paper-vouchers/new")
    for name, value in {
        "serial_number": "D063221",
        "e_ticket_number": "E263109876543210",
        "travel_date": "2025-09-12",
        "train_number": "G7126",
        "departure_station": "上海虹桥",
        "arrival_station": "南京南",
        "fare": "139.50",
        "passenger_name": "张三",
        "passenger_id_masked": "110101********1234",
    }.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=seat_class]", "二等座")
    shoot(page, "paper-voucher-form")
    page.click(".grid-form button[type=submit]")
    page.wait_for_url(f"{server.url}/paper-vouchers?*")


def _employee_tour(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    shoot(page, "login")
    log_in(page, server, "employee")
    upload_files(page, server, ["good1", "good2", "duplicate"])
    page.mouse.move(0, 0)
    shoot_both(page, "upload-results")
    page.goto(f"{server.url}/")
    shoot_both(page, "dashboard")
    page.goto(f"{server.url}/invoices")
    shoot_both(page, "my-invoices")
    page.click("table.data tbody tr:first-child td a.mono")
    page.wait_for_selector("iframe.pdf")
    page.wait_for_timeout(1500)  # the PDF viewer paints after the page is loaded
    shoot(page, "invoice-detail")
    _register_paper_voucher(page, server)
    page.goto(f"{server.url}/invoices?lang=en")
    shoot(page, "my-invoices-en")
    page.goto(f"{server.url}/invoices?lang=zh-CN")


def _as(page: Page, context: BrowserContext, server: LiveServer, who: str) -> None:
    context.clear_cookies()
    log_in(page, server, who)


def _claim_tour(page: Page, context: BrowserContext, server: LiveServer) -> None:
    """A claim through approval, booking and payment, shooting the pages each role works on."""
    _as(page, context, server, "employee")
    page.goto(f"{server.url}/claims/new")
    page.fill("[name=title]", "上海客户拜访")
    page.fill("[name=purpose]", "11月上海客户拜访，往返高铁")
    boxes = page.locator("table.pick input[type=checkbox][value^='invoice:']")
    for index in range(3):
        boxes.nth(index).check()
    page.mouse.move(0, 0)
    shoot_both(page, "claim-new", full_page=False)  # the running total is a sticky bar
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{server.url}/claims/*?done=created")
    claim_url = page.url.split("?", 1)[0]
    shoot_both(page, "claim-detail")
    page.click("#submit-claim")
    page.wait_for_url(f"{claim_url}?done=submitted")
    _as(page, context, server, "manager")
    page.goto(f"{server.url}/approvals")
    shoot_both(page, "approver-inbox")
    page.goto(claim_url)
    page.fill("#approve-form [name=comment]", "同意")
    page.check("#approve-form [name=acknowledge_warnings]")
    page.click("#approve-claim")
    page.wait_for_url(f"{claim_url}?done=approved")
    _as(page, context, server, "finance")
    page.goto(claim_url)
    invoice_urls = [
        str(link.get_attribute("href"))
        for link in page.locator("table.data a[href^='/invoices/']").all()
    ]
    page.click("#book-claim")
    page.wait_for_url(f"{claim_url}?done=booked")
    for url in invoice_urls:  # 用途确认 this month, so the input-VAT report has figures
        page.goto(server.url + url)
        page.click("form[action$='/deduction-confirmation'] button[type=submit]")
        page.wait_for_url("**?confirmed=1")
    _as(page, context, server, "cashier")
    page.goto(claim_url)
    page.fill("[name=reference]", "ICBC-20261127-001")
    page.click("#pay-claim")
    page.wait_for_url(f"{claim_url}?done=paid")
    page.goto(f"{claim_url}/print")
    shoot(page, "claim-print")
    page.goto(f"{server.url}/finance/vouchers")
    shoot(page, "voucher-list")
    page.goto(f"{server.url}/finance/input-vat")
    shoot(page, "input-vat-report")
    _as(page, context, server, "auditor")
    page.goto(f"{server.url}/audit/log?verify=1&object_type=claim")
    shoot(page, "audit-log")


def test_take_screenshots(browser_context: BrowserContext, tmp_path: Path):
    page = browser_context.new_page()
    (tmp_path / "shots").mkdir()
    with serve(tmp_path / "shots") as server:
        _employee_tour(page, server)
        browser_context.clear_cookies()
        log_in(page, server, "finance")
        page.goto(f"{server.url}/finance/paper-originals")
        shoot(page, "finance-paper-originals")
        browser_context.clear_cookies()
        log_in(page, server, "admin")
        page.goto(f"{server.url}/admin/users")
        shoot(page, "admin-users")
        page.goto(f"{server.url}/tokens")
        page.fill("[name=name]", "ERP 对接")
        page.click(".grid-form button[type=submit]")
        page.wait_for_selector("#new-token")
        shoot(page, "api-token-created")
        _claim_tour(page, browser_context, server)
    for name in TAKEN:
        width = png_width(OUT / f"{name}.png")
        if name.endswith("-phone"):
            assert width == PHONE["width"], f"{name}.png is {width} px wide"
        else:
            assert width > PHONE["width"], f"{name}.png is {width} px wide"
    assert {n for n in TAKEN if n.endswith("-phone")} >= {
        "upload-results-phone",
        "my-invoices-phone",
        "claim-new-phone",
        "claim-detail-phone",
        "approver-inbox-phone",
    }
