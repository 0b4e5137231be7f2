"""A whole working day in the browser (issue 16's acceptance), one role after another.

The employee works on a 390 × 844 phone: uploads the ZIP the 12306 app saved, builds two claims
(fixing one draft on the way), submits both. The approver, also on the phone, approves the two at
once. Finance books both in one go, the cashier pays both in one go, the Excel voucher export is
read back with openpyxl. The auditor downloads the archive and filters the log by a Chinese
action name; the admin deactivates the cashier, whose tokens then stop working (day_office.py).
Every page visited is checked at phone width: it must not be wider than the phone; on the phone
steps every control must also be a 44 px tap target.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.day_office import (
    admin_deactivates,
    auditor_exports_and_filters,
    cashier_pays_in_bulk,
    clerk_books_in_bulk,
    export_reads_as_numbers,
    tokens_of,
)
from tests.e2e.live_server import LiveServer, serve
from tests.e2e.phone import DESK, PHONE, as_user, thumb_friendly, visit

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def day_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # Its own database: the day claims every invoice the employee has.
    with serve(tmp_path_factory.mktemp("day")) as server:
        yield server


def zip_invoice_numbers(server: LiveServer) -> list[str]:
    with zipfile.ZipFile(server.files["day-zip"]) as archive:
        return [Path(name).stem for name in archive.namelist()]


def upload_the_zip(page: Page, server: LiveServer) -> None:
    visit(page, f"{server.url}/invoices/upload", phone=True)
    picker = page.locator("#file-input")
    assert picker.get_attribute("multiple") is not None
    assert ".zip" in str(picker.get_attribute("accept"))
    expect(page.locator("label.pick-files")).to_be_visible()  # a button, not "drop here"
    picker.set_input_files(str(server.files["day-zip"]))
    rows = page.locator("#results tbody tr.result.outcome-created")
    expect(rows).to_have_count(len(zip_invoice_numbers(server)))
    thumb_friendly(page)
    visit(page, f"{server.url}/invoices?status=available", phone=True)


def tick(page: Page, invoice_number: str) -> Decimal:
    box = page.locator(f"input[type=checkbox][aria-label='{invoice_number}']")
    box.locator("xpath=ancestor::label").click()  # a tap on the card's row, not the tiny box
    expect(box).to_be_checked()
    return Decimal(str(box.get_attribute("data-amount")))


def expect_running_total(page: Page, count: int, total: Decimal) -> None:
    expect(page.locator("#running-total .running-text")).to_have_text(
        f"已选 {count} 张，合计 ¥{total:,.2f}"
    )


def build_claim(page: Page, server: LiveServer, title: str, numbers: list[str]) -> str:
    visit(page, f"{server.url}/claims/new", phone=True)
    page.fill("[name=title]", title)
    page.fill("[name=purpose]", "客户拜访往返")
    total = Decimal("0.00")
    for index, number in enumerate(numbers, start=1):
        total += tick(page, number)
        expect_running_total(page, index, total)
    page.click("#running-total button[type=submit]")
    page.wait_for_url(f"{server.url}/claims/*?done=created")
    thumb_friendly(page)
    expect(page.locator("dl.summary .total")).to_have_text(f"¥{total:,.2f}")
    return page.url.split("?", 1)[0]


def add_to_draft(page: Page, claim_url: str, number: str) -> None:
    page.click("#add-items")
    page.wait_for_url(f"{claim_url}/add")
    thumb_friendly(page)
    held = Decimal(
        re.sub(r"[^\d.]", "", str(page.locator("#running-total").get_attribute("data-base")))
    )
    added = tick(page, number)
    expect_running_total(page, 1, held + added)
    page.click("#running-total button[type=submit]")
    page.wait_for_url(f"{claim_url}?done=added")
    thumb_friendly(page)
    expect(page.locator("table.claim-items tbody tr")).to_have_count(3)


def fix_purpose(page: Page, claim_url: str) -> None:
    page.click(".draft-edit summary")
    page.fill("#edit-draft [name=purpose]", "客户拜访往返，含年度会议")
    page.click("#save-draft")
    page.wait_for_url(f"{claim_url}?done=edited")
    thumb_friendly(page)
    expect(page.locator("dl.summary")).to_contain_text("客户拜访往返，含年度会议")


def submit(page: Page, claim_url: str) -> None:
    page.click("#submit-claim")
    page.wait_for_url(f"{claim_url}?done=submitted")
    thumb_friendly(page)
    expect(page.locator("h1 .badge")).to_have_text("待审批")


def employee_on_the_phone(page: Page, server: LiveServer) -> list[str]:
    numbers = zip_invoice_numbers(server)
    upload_the_zip(page, server)
    first = build_claim(page, server, "上海客户拜访", numbers[:2])
    add_to_draft(page, first, numbers[2])
    fix_purpose(page, first)
    submit(page, first)
    second = build_claim(page, server, "南京供应商审核", numbers[3:])
    submit(page, second)
    visit(page, f"{server.url}/claims", phone=True)
    visit(page, f"{server.url}/", phone=True)
    expect(page.locator("a.tally[href='/claims?state=submitted'] strong")).to_have_text("2")
    return [first, second]


def approver_on_the_phone(page: Page, server: LiveServer, claim_urls: list[str]) -> None:
    visit(page, f"{server.url}/", phone=True)
    page.click("a.tally[href='/approvals']")
    page.wait_for_url(f"{server.url}/approvals")
    thumb_friendly(page)
    for title in ("上海客户拜访", "南京供应商审核"):
        page.locator(f"input[name=claim_ids][aria-label='{title}']").locator(
            "xpath=ancestor::label"
        ).click()
    page.fill("#bulk-approve [name=comment]", "同意")
    acknowledge = page.locator("#bulk-approve [name=acknowledge_warnings]")
    if acknowledge.count():
        acknowledge.check()
    page.click("#approve-selected")
    expect(page.locator("#bulk-outcome")).to_contain_text("已批准 2 张，未批准 0 张。")
    thumb_friendly(page)
    for url in claim_urls:
        visit(page, url, phone=True)
        expect(page.locator("h1 .badge")).to_have_text("已审批")


def test_a_whole_working_day(page: Page, browser_context: BrowserContext, day_server: LiveServer):
    server = day_server
    cashier_tokens = tokens_of(server, "cashier")
    as_user(page, browser_context, server, "employee", PHONE)
    claim_urls = employee_on_the_phone(page, server)
    as_user(page, browser_context, server, "manager", PHONE)
    approver_on_the_phone(page, server, claim_urls)
    as_user(page, browser_context, server, "finance", DESK)
    clerk_books_in_bulk(page, server, claim_urls)
    as_user(page, browser_context, server, "cashier", DESK)
    cashier_pays_in_bulk(page, server, claim_urls)
    export_reads_as_numbers(page, server, claim_urls)
    as_user(page, browser_context, server, "auditor", DESK)
    auditor_exports_and_filters(page, server, claim_urls)
    as_user(page, browser_context, server, "admin", DESK)
    admin_deactivates(page, server, "cashier", cashier_tokens)
