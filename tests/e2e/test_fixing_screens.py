"""Fixing things in place, in the browser: a draft's title, 说明 and deletion; a paper voucher
with its scan; the finance list with rows; a 红字 reversal from the voucher page; the printed
报销单. Every page is checked at 390 px for sideways scrolling (the full day's rule)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.demo import DEMO_ENTITY_NAME, DEMO_USCC
from app.kit.dates import business_today
from railclaim_devkit.synthetic import random_spec, render_pdf
from tests.api.authz_world import PNG
from tests.e2e.actions import DEMO_PASSWORDS, log_in
from tests.e2e.live_server import LiveServer, serve
from tests.e2e.phone import DESK, PHONE, fits_the_phone, thumb_friendly

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fix_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("fixing")) as server:
        yield server


class Api:
    """The JSON API as each demo user, to arrange what the pages then show."""

    def __init__(self, server: LiveServer) -> None:
        self.http = httpx.Client(base_url=f"{server.url}/api/v1", timeout=30)
        self.headers: dict[str, dict[str, str]] = {}
        for who, password in DEMO_PASSWORDS.items():
            token = self.http.post("/auth/token", data={"username": who, "password": password})
            assert token.status_code == 200, token.text
            self.headers[who] = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def call(self, method: str, path: str, who: str, expect: int, **kwargs: Any) -> Any:
        response = self.http.request(method, path, headers=self.headers[who], **kwargs)
        assert response.status_code == expect, (path, response.text)
        return response.json() if response.content else None


def _late_invoice_pdf(seed: int) -> bytes:
    """A trip 200 days back: claimed now it carries `late-submission` beside `unverified`."""
    travel = business_today() - dt.timedelta(days=200 + seed)
    spec = random_spec(
        random.Random(seed),
        business_type="sale",
        buyer_name=DEMO_ENTITY_NAME,
        buyer_tax_id=DEMO_USCC,
        passenger_name="张三",
        passenger_id_masked="1101011990****1234",
        travel_date=travel,
        issue_date=travel + dt.timedelta(days=1),
    )
    return render_pdf(spec)


def _approved_and_draft(api: Api, server: LiveServer) -> tuple[dict[str, Any], dict[str, Any]]:
    invoices = []
    for name in ("good1", "good2"):
        with server.files[name].open("rb") as f:
            invoices.append(api.call("POST", "/invoices", "employee", 201, files={"file": f}))
    # Four trips, a dozen findings: each once a flex item of its own card row, which squeezed
    # them past a 390 px phone.
    items = [{"invoice_id": invoices[0]["id"]}]
    for seed in (1, 2, 3):
        pdf = _late_invoice_pdf(seed)
        late = api.call("POST", "/invoices", "employee", 201, files={"file": ("late.pdf", pdf)})
        items.append({"invoice_id": late["id"]})
    body = {"title": "杭州客户拜访", "purpose": "季度回访", "items": items}
    approved = api.call("POST", "/claims", "employee", 201, json=body)
    api.call("POST", f"/claims/{approved['id']}/submit", "employee", 200)
    api.call(
        "POST",
        f"/claims/{approved['id']}/approve",
        "manager",
        200,
        json={"acknowledge_warnings": True},
    )
    draft = api.call(
        "POST",
        "/claims",
        "employee",
        201,
        json={
            "title": "苏州培训",
            "purpose": "内部培训",
            "items": [{"invoice_id": invoices[1]["id"]}],
        },
    )
    return approved, draft


def _as(page: Page, context: BrowserContext, server: LiveServer, who: str, size: dict) -> None:
    context.clear_cookies()
    page.set_viewport_size(size)
    log_in(page, server, who)


def test_fixing_screens_fit_a_phone(
    page: Page, browser_context: BrowserContext, fix_server: LiveServer
):
    server = fix_server
    api = Api(server)
    approved, draft = _approved_and_draft(api, server)

    # The employee fixes the draft on the phone, registers a paper voucher with its scan.
    _as(page, browser_context, server, "employee", PHONE)
    draft_url = f"{server.url}/claims/{draft['id']}"
    page.goto(draft_url)
    thumb_friendly(page)
    page.click(".draft-edit summary")
    page.fill("#edit-draft [name=title]", "苏州培训（两天）")
    page.click("#save-draft")
    page.wait_for_url(f"{draft_url}?done=edited")
    expect(page.locator("h1")).to_contain_text("苏州培训（两天）")
    page.fill(".justify-form [name=justification]", "培训通知见附件")
    page.click(".justify-form button")
    expect(page.locator(".justify-form [name=justification]")).to_have_value("培训通知见附件")
    thumb_friendly(page)
    page.goto(f"{draft_url}/print")
    fits_the_phone(page)
    expect(page.locator("td.claim-number")).to_have_text(draft["number"])
    page.goto(f"{draft_url}?lang=en")  # English labels are longer: still no sideways scroll
    expect(page.locator("#delete-claim")).to_have_text("Delete draft")
    thumb_friendly(page)
    page.goto(f"{draft_url}?lang=zh-CN")
    page.check("#delete-draft [name=confirm]")
    page.click("#delete-claim")
    page.wait_for_url(f"{server.url}/claims?deleted={draft['number']}")
    expect(page.locator(".alert.ok")).to_contain_text(draft["number"])
    thumb_friendly(page)

    page.goto(f"{server.url}/paper-vouchers/new")
    thumb_friendly(page)
    form = {
        "serial_number": "Z20250921",
        "e_ticket_number": "EZ2025092100000000001",
        "travel_date": "2025-09-21",
        "train_number": "G7",
        "departure_station": "北京南站",
        "arrival_station": "上海虹桥",
        "fare": "553.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }
    for name, value in form.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=seat_class]", "二等座")
    page.set_input_files(
        "[name=scan]", files=[{"name": "scan.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click(".form-actions button")
    page.wait_for_url(f"{server.url}/paper-vouchers?registered=*")
    expect(page.locator("table.paper-vouchers")).to_contain_text("下载扫描件")
    thumb_friendly(page)

    # Finance: the list with rows to book, then to pay, at phone width; the reversal.
    _as(page, browser_context, server, "finance", DESK)
    page.goto(f"{server.url}/finance/claims")
    expect(page.locator("#to-book")).to_contain_text(approved["number"])
    expect(page.locator("#to-book")).to_contain_text("乘车后超过规定天数才报销")
    fits_the_phone(page)
    booked = api.call("POST", f"/claims/{approved['id']}/book", "finance", 200, json={})
    page.goto(f"{server.url}/finance/claims")
    expect(page.locator("#to-pay")).to_contain_text(approved["number"])
    fits_the_phone(page)
    voucher_url = f"{server.url}/finance/vouchers/{booked['voucher_ids'][0]}"
    page.goto(voucher_url)
    fits_the_phone(page)
    page.fill("#reverse-form [name=reason]", "金额有误")
    page.check("#reverse-form [name=confirm]")
    page.click("#reverse-voucher")
    page.wait_for_url(f"{voucher_url}?done=reversed")
    expect(page.locator("#reversed-notice")).to_contain_text("记-")
    fits_the_phone(page)
    page.click("#reversed-notice a")
    expect(page.locator("h1")).to_contain_text("记-")
    fits_the_phone(page)
    page.goto(f"{server.url}/claims/{approved['id']}/print")
    expect(page.locator("td.voucher-numbers")).to_contain_text("记-")
    fits_the_phone(page)
