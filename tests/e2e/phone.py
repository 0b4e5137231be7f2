"""Phone-width checks shared by the browser scenarios: no sideways scrolling, 44 px targets."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page

from tests.e2e.actions import log_in
from tests.e2e.live_server import LiveServer

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1360, "height": 900}

# Controls a thumb must hit: buttons, fields, menu and language links. Checkboxes count by the
# label around them (the whole row of a card is the target).
_SMALL_TARGETS = """() => {
  const visible = el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  const small = [];
  document.querySelectorAll(
    'button, .button, select, input:not([type=hidden]):not([type=checkbox]):not([type=file]),'
    + ' .nav-button, .lang-switch a, .sidebar a, td.card-check label, .tally'
  ).forEach(el => {
    if (!visible(el) || el.classList.contains('visually-hidden')) { return; }
    const box = el.getBoundingClientRect();
    if (box.height < 44) { small.push(`${el.tagName}.${el.className} ${box.height}px`); }
  });
  return small;
}"""


def fits_the_phone(page: Page) -> None:
    """The page at phone width is no wider than the phone (no sideways scrolling)."""
    size = page.viewport_size
    if size != PHONE:
        page.set_viewport_size(PHONE)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide on a {widths[1]} px phone"
    if size is not None and size != PHONE:
        page.set_viewport_size(size)


def thumb_friendly(page: Page) -> None:
    fits_the_phone(page)
    assert page.evaluate(_SMALL_TARGETS) == [], page.url


def visit(page: Page, url: str, *, phone: bool = False) -> None:
    page.goto(url)
    (thumb_friendly if phone else fits_the_phone)(page)


def as_user(page: Page, context: BrowserContext, server: LiveServer, who: str, size: dict) -> None:
    context.clear_cookies()
    page.set_viewport_size(size)
    log_in(page, server, who)
    fits_the_phone(page)
