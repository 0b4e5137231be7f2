"""Browser tests: Debian's Chromium (installed when missing) against the app on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.browser import CHROMIUM, LAUNCH_ARGS, ensure_chromium
from tests.e2e.live_server import LiveServer, serve


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    reason = ensure_chromium()
    if reason is not None:
        print(f"\nskipping browser tests: {reason}")  # noqa: T201 - shown with -rs
        pytest.skip(f"no Chromium: {reason}")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("e2e")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_session(chromium_executable: str) -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser_context(
    playwright_session: Playwright, chromium_executable: str, tmp_path: Path
) -> Iterator[BrowserContext]:
    # A fresh profile per test: no cookies, cache or service workers carried over.
    context = playwright_session.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "profile"),
        executable_path=chromium_executable,
        headless=True,
        args=[*LAUNCH_ARGS, "--lang=zh-CN"],
        locale="zh-CN",
        # On Linux Chromium takes its UI locale, and so the date inputs' 年/月/日 format, from
        # the environment, not from --lang (which only Windows and macOS read).
        env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"},
        viewport={"width": 1360, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.pages[0] if browser_context.pages else browser_context.new_page()
