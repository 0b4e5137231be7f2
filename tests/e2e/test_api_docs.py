"""Issue 16: /docs and /redoc render in a real browser with no network beyond the app, under
their Content-Security-Policy, with no CSP violation reported."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route

from tests.e2e.live_server import LiveServer


@pytest.fixture
def offline_page(browser_context: BrowserContext, live_server: LiveServer) -> tuple[Page, dict]:
    """A page that can reach only the app: anything else is aborted and noted."""
    app_origin = urlsplit(live_server.url).netloc
    seen: dict[str, list[str]] = {"outside": [], "csp": []}

    def only_the_app(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == app_origin:
            route.continue_()
        else:
            seen["outside"].append(url)
            route.abort()

    def note_csp(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen["csp"].append(message.text)

    browser_context.route("**/*", only_the_app)
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()
    page.on("console", note_csp)
    return page, seen


def test_swagger_ui_renders_offline_under_its_csp(
    offline_page: tuple[Page, dict], live_server: LiveServer
):
    page, seen = offline_page
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/claims/{claim_id}/approve" in {p.replace("\u200b", "") for p in paths}
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("railclaim")
    # Styled: the stylesheet applied (an unstyled page lays the operations out as plain text).
    color = page.locator(".opblock-summary-method").first.evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert seen == {"outside": [], "csp": []}


def test_redoc_renders_offline_under_its_csp(
    offline_page: tuple[Page, dict], live_server: LiveServer
):
    page, seen = offline_page
    page.goto(f"{live_server.url}/redoc")
    page.wait_for_selector("h1:has-text('railclaim')")
    assert page.get_by_text("Something went wrong").count() == 0
    page.wait_for_selector("h2:has-text('Issue Login Token')")  # the first operation, rendered
    # Its styles are <style> elements it writes at run time; each carries the page's nonce.
    nonces = page.evaluate("() => Array.from(document.querySelectorAll('style'), s => s.nonce)")
    assert len(nonces) >= 2
    assert len(set(nonces)) == 1
    assert nonces[0]
    assert seen["outside"] == []
    # The one thing refused: the "API docs by Redocly" credit's logo on Redocly's CDN, which
    # the policy blocks before any request leaves (hence nothing in "outside").
    assert all("cdn.redoc.ly" in message for message in seen["csp"]), seen["csp"]
