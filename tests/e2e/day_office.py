"""The office half of the working day: finance books and pays in bulk, the voucher export is
read back with openpyxl, the auditor exports the archive and filters the log, the admin
deactivates the cashier, whose tokens then stop working. Every page is checked at phone width."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.actions import DEMO_PASSWORDS
from tests.e2e.live_server import LiveServer
from tests.e2e.phone import fits_the_phone, visit

CLAIM_TITLES = ("上海客户拜访", "南京供应商审核")
CENT = Decimal("0.01")
# httpx's 5 s default is shorter than a password hash or an export takes on a loaded CI machine.
HTTP = httpx.Client(timeout=30)


def api_headers(server: LiveServer, who: str) -> dict[str, str]:
    login = HTTP.post(
        f"{server.url}/api/v1/auth/token",
        data={"username": who, "password": DEMO_PASSWORDS[who]},
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def tokens_of(server: LiveServer, who: str) -> list[dict[str, str]]:
    """A login token and a personal API token (what an ERP script would hold) for one user."""
    login = api_headers(server, who)
    made = HTTP.post(f"{server.url}/api/v1/tokens", json={"name": "网银对账脚本"}, headers=login)
    assert made.status_code == 201, made.text
    personal = {"Authorization": f"Bearer {made.json()['token']}"}
    for headers in (login, personal):
        assert HTTP.get(f"{server.url}/api/v1/users/me", headers=headers).status_code == 200
    return [login, personal]


def _tick_both(page: Page, list_id: str) -> None:
    for title in CLAIM_TITLES:
        page.locator(f"#{list_id} input[name=claim_ids][aria-label='{title}']").check()


def clerk_books_in_bulk(page: Page, server: LiveServer, claim_urls: list[str]) -> None:
    visit(page, f"{server.url}/finance/claims")
    expect(page.locator("#to-book tbody tr")).to_have_count(2)
    _tick_both(page, "to-book")
    page.click("#bulk-book-submit")
    expect(page.locator("#bulk-outcome")).to_have_text("已入账 2 份报销单。")
    fits_the_phone(page)
    expect(page.locator("#to-pay tbody tr")).to_have_count(2)
    for url in claim_urls:
        visit(page, url)
        expect(page.locator("h1 .badge")).to_have_text("已入账")
        expect(page.locator("dl.summary .voucher-numbers")).to_contain_text("记-")


def cashier_pays_in_bulk(page: Page, server: LiveServer, claim_urls: list[str]) -> None:
    visit(page, f"{server.url}/finance/claims")
    _tick_both(page, "to-pay")
    page.fill("#bulk-pay [name=reference]", "ICBC-20261202-001")
    page.click("#bulk-pay-submit")
    expect(page.locator("#bulk-outcome")).to_have_text("已支付 2 份报销单。")
    fits_the_phone(page)
    expect(page.locator("#bulk-pay")).to_have_count(0)  # nothing left to pay
    for url in claim_urls:
        visit(page, url)
        expect(page.locator("h1 .badge")).to_have_text("已支付")


def _claim_id(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def export_reads_as_numbers(page: Page, server: LiveServer, claim_urls: list[str]) -> None:
    """The Excel download computes: money cells are numbers equal to the API's, dates dates."""
    visit(page, f"{server.url}/finance/vouchers")
    link = page.locator("#export-xlsx")
    period = parse_qs(urlsplit(str(link.get_attribute("href"))).query)["period"][0]
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(
        io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True
    ).worksheets[0]
    labels, codes, *cells = list(sheet.iter_rows())
    assert [c.value for c in labels][:3] == ["凭证号", "凭证编号", "日期"]
    column = {c.value: index for index, c in enumerate(codes)}

    headers = api_headers(server, "finance")
    api_rows = HTTP.get(
        f"{server.url}/api/v1/vouchers/export",
        params={"period": period, "format": "json"},
        headers=headers,
    ).json()
    assert len(cells) == len(api_rows) > 0
    booked: dict[str, Decimal] = {}
    for row, api in zip(cells, api_rows, strict=True):
        assert row[column["voucher_number"]].value == api["voucher_number"]
        for money in ("debit", "credit"):
            cell = row[column[money]]
            assert cell.data_type == "n", f"{money} of {api['voucher_number']} is {cell.value!r}"
            assert Decimal(str(cell.value)).quantize(CENT) == Decimal(api[money])
        day = row[column["date"]]
        assert day.is_date
        assert isinstance(day.value, dt.datetime)
        assert day.value.date().isoformat() == api["date"]
        if api["kind"] == "booking":
            booked[api["claim_id"]] = booked.get(api["claim_id"], Decimal(0)) + Decimal(
                str(row[column["debit"]].value)
            ).quantize(CENT)
    for url in claim_urls:
        claim = HTTP.get(f"{server.url}/api/v1/claims/{_claim_id(url)}", headers=headers).json()
        assert booked[claim["id"]] == Decimal(str(claim["total"]))
    visit(page, f"{server.url}/")
    expect(page.locator("svg.chart-svg")).to_have_count(2)


def auditor_exports_and_filters(page: Page, server: LiveServer, claim_urls: list[str]) -> None:
    visit(page, f"{server.url}/audit/archive")
    with page.expect_download() as info:
        page.click("#archive-download")
    with zipfile.ZipFile(info.value.path()) as bag:
        assert any(n.endswith("bagit.txt") for n in bag.namelist())
    visit(page, f"{server.url}/audit/log")
    # The auditor picks the action by its Chinese name; the page keeps the code in the URL.
    page.select_option("#audit-filters select[name=action]", label="批准报销单")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url("**/audit/log?*action=claim.approved*")
    fits_the_phone(page)
    rows = page.locator("table.audit-log tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_contain_text("批准报销单")
        expect(rows.nth(index).locator("td").nth(2)).to_have_text("manager")
    shown = {rows.nth(i).locator("a.copyable").inner_text() for i in range(2)}
    assert shown == {_claim_id(url) for url in claim_urls}
    expect(page.locator("#audit-filters select[name=action] option:checked")).to_have_text(
        "批准报销单"
    )


def admin_deactivates(page: Page, server: LiveServer, who: str, tokens: list[dict]) -> None:
    visit(page, f"{server.url}/admin/users")
    page.get_by_role("link", name=who, exact=True).click()
    page.wait_for_url("**/admin/users/*")
    fits_the_phone(page)
    page.click("#deactivate")
    page.wait_for_url("**/admin/users/*/deactivate")
    fits_the_phone(page)
    page.click("#confirm-submit")
    expect(page.locator("#user-done")).to_contain_text("已停用该用户")
    fits_the_phone(page)
    for headers in tokens:
        answer = HTTP.get(f"{server.url}/api/v1/users/me", headers=headers)
        assert answer.status_code in (401, 403), answer.text
    refused = HTTP.post(
        f"{server.url}/api/v1/auth/token",
        data={"username": who, "password": DEMO_PASSWORDS[who]},
    )
    assert refused.status_code in (400, 401, 403), refused.text
