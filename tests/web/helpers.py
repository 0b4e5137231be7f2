"""Browser-like helpers for web tests: log in through the form, read CSRF tokens from pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from app.auth.models import User
from tests.factories import PASSWORD

HTML = {"accept": "text/html"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_UPLOAD_CSRF = re.compile(r'data-csrf="([^"]+)"')


def csrf_of(page: Response) -> str:
    match = _CSRF.search(page.text) or _UPLOAD_CSRF.search(page.text)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def login(client: TestClient, user: User, password: str = PASSWORD) -> Response:
    page = client.get("/login", headers=HTML)
    return client.post(
        "/login",
        data={"username": user.username, "password": password, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )


def post_form(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> Response:
    """Loads the page (as a browser would) and posts its form with the page's CSRF token."""
    page = client.get(page_path, headers=HTML)
    assert page.status_code == 200, page.text
    return client.post(action, data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False)
