"""A claim's whole life in a real browser: the employee creates and submits it, the manager
approves it acknowledging its warnings, finance books it, a second finance clerk pays it and
downloads the voucher export, and the auditor downloads the archive as a BagIt zip."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.kit.dates import business_today
from tests.e2e.actions import log_in
from tests.e2e.live_server import LiveServer

pytestmark = pytest.mark.e2e


def create_and_submit(page: Page, server: LiveServer) -> str:
    page.goto(f"{server.url}/claims/new")
    page.fill("[name=title]", "上海客户拜访")
    page.fill("[name=purpose]", "11月客户拜访往返")
    boxes = page.locator("table.pick input[type=checkbox][value^='invoice:']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{server.url}/claims/*?done=created")
    expect(page.locator(".alert.ok")).to_contain_text("报销单已保存为草稿")
    expect(page.locator(".findings.warn")).to_be_visible()  # unverified: a warning, no block
    claim_url = page.url.split("?", 1)[0]
    page.click("#submit-claim")
    page.wait_for_url(f"{claim_url}?done=submitted")
    expect(page.locator("h1 .badge")).to_have_text("待审批")
    return claim_url


def approve(page: Page, server: LiveServer, claim_url: str) -> None:
    page.goto(f"{server.url}/approvals")
    row = page.locator("table.inbox tbody tr", has_text="上海客户拜访")
    expect(row).to_have_count(1)
    expect(row.locator(".finding.warn").first).to_be_visible()
    row.locator("a.button").click()
    page.wait_for_url(claim_url)
    page.fill("#approve-form [name=comment]", "同意，注意席别")
    page.check("#approve-form [name=acknowledge_warnings]")
    page.click("#approve-claim")
    page.wait_for_url(f"{claim_url}?done=approved")
    expect(page.locator("h1 .badge")).to_have_text("已审批")


def book_then_refuse_paying(page: Page, claim_url: str) -> None:
    page.goto(claim_url)
    page.click("#book-claim")
    page.wait_for_url(f"{claim_url}?done=booked")
    page.fill("[name=reference]", "ICBC-20261127-001")
    page.click("#pay-claim")
    expect(page.locator(".alert.error")).to_contain_text("不相容职务分离")


def pay_and_export(page: Page, server: LiveServer, claim_url: str) -> None:
    page.goto(claim_url)
    page.fill("[name=reference]", "ICBC-20261127-001")
    page.click("#pay-claim")
    page.wait_for_url(f"{claim_url}?done=paid")
    expect(page.locator("h1 .badge")).to_have_text("已支付")
    numbers = page.locator("dl.summary a.mono")
    expect(numbers).to_have_count(2)  # booking and payment vouchers
    page.goto(f"{server.url}/finance/vouchers")
    with page.expect_download() as info:
        page.click("#export-csv")
    download = info.value
    period = business_today().strftime("%Y-%m")
    assert download.suggested_filename == f"vouchers-{period}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert {r["kind"] for r in rows} == {"booking", "payment"}
    assert {"6602.03", "2241", "1002"} <= {r["account_code"] for r in rows}


def download_archive(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/audit/archive")
    with page.expect_download() as info:
        page.click("#archive-download")
    download = info.value
    assert download.suggested_filename.startswith("archive-")
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as bag:
        names = bag.namelist()
        bagit = next(n for n in names if n.endswith("bagit.txt"))
        assert b"BagIt-Version" in bag.read(bagit)
        assert any(n.endswith("manifest-sha256.txt") for n in names)


def test_claim_from_draft_to_archive(
    page: Page, browser_context: BrowserContext, live_server: LiveServer
):
    log_in(page, live_server, "employee")
    claim_url = create_and_submit(page, live_server)
    for who, step in (
        ("manager", lambda: approve(page, live_server, claim_url)),
        ("finance", lambda: book_then_refuse_paying(page, claim_url)),
        ("cashier", lambda: pay_and_export(page, live_server, claim_url)),
        ("auditor", lambda: download_archive(page, live_server)),
    ):
        browser_context.clear_cookies()
        log_in(page, live_server, who)
        step()
