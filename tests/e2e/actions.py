"""What a person does in the browser, shared by the scenarios and the screenshot tour."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.live_server import LiveServer

DEMO_PASSWORDS = {
    "employee": "employee-demo-pass",
    "finance": "finance-demo-pass",
    "cashier": "cashier-demo-pass",
    "manager": "manager-demo-pass",
    "auditor": "auditor-demo-pass",
    "admin": "admin-demo-pass",
}


def log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORDS[username])
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{server.url}/")


def upload_files(page: Page, server: LiveServer, names: list[str]) -> None:
    """Drops the files on the upload page's input and waits for every result row."""
    page.goto(f"{server.url}/invoices/upload")
    page.set_input_files("#file-input", [str(server.files[name]) for name in names])
    page.wait_for_function(
        "n => document.querySelectorAll('#results tbody tr.result').length >= n",
        arg=len(names),
    )
