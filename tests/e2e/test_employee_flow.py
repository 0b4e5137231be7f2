"""An employee in a real browser: log in, drop three files, read the rows, open an invoice."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.actions import log_in, upload_files
from tests.e2e.live_server import LiveServer

pytestmark = pytest.mark.e2e


def test_employee_uploads_three_files_and_opens_an_invoice(page: Page, live_server: LiveServer):
    log_in(page, live_server, "employee")
    expect(page.locator("h1")).to_contain_text("您好")

    upload_files(page, live_server, ["good1", "good2", "duplicate"])
    rows = page.locator("#results tbody tr.result")
    expect(rows).to_have_count(3)
    expect(page.locator("#results tr.outcome-created")).to_have_count(2)
    for name in ("good1", "good2"):
        row = page.locator("#results tr", has_text=live_server.files[name].name)
        expect(row).to_have_class("result outcome-created")
        expect(row.locator("progress")).to_have_attribute("value", "100")
        expect(row).to_contain_text("可报销")
        expect(row).to_contain_text("¥")
    duplicate = page.locator("#results tr.outcome-duplicate")
    expect(duplicate).to_contain_text("这张发票已经上传过")
    link = duplicate.locator("a.duplicate-link")
    expect(link).to_have_attribute("href", f"/invoices/{live_server.duplicate_of}")

    page.locator("#results tr.outcome-created a.open-link").first.click()
    page.wait_for_url(f"{live_server.url}/invoices/*")
    expect(page.locator("dl.facts")).to_contain_text("张三")
    frame = page.locator("iframe.pdf")
    expect(frame).to_be_visible()
    src = str(frame.get_attribute("src")).split("#", 1)[0]
    preview = page.request.get(live_server.url + src)
    assert preview.status == 200
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.body().startswith(b"%PDF-")

    link_target = f"{live_server.url}/invoices/{live_server.duplicate_of}"
    page.goto(link_target)
    expect(page.locator("h1")).to_be_visible()


class _ForgeryPage(http.server.BaseHTTPRequestHandler):
    """A page on another port (same site, other origin) with a form aimed at our app."""

    target = ""

    def do_GET(self) -> None:
        body = (
            "<!doctype html><meta charset=utf-8><title>win a prize</title>"
            f'<form method=post action="{self.target}/tokens">'
            "<input type=hidden name=name value=stolen>"
            "<button id=go type=submit>claim</button></form>"
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def forgery_site(live_server: LiveServer) -> Iterator[str]:
    handler = type("Forgery", (_ForgeryPage,), {"target": live_server.url})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_forged_post_without_the_csrf_token_is_refused(
    page: Page, live_server: LiveServer, forgery_site: str
):
    log_in(page, live_server, "employee")
    page.goto(forgery_site)
    with page.expect_navigation():
        page.click("#go")
    assert page.url == f"{live_server.url}/tokens"
    expect(page.locator("h1")).to_contain_text("表单已失效")
    expect(page.locator(".error-code")).to_have_text("403")
    page.goto(f"{live_server.url}/tokens")
    expect(page.locator("table.data")).not_to_contain_text("stolen")
