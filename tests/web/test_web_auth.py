"""Web sessions: login cookie, logout, lockout messages, CSRF refusals, headers and language."""

from __future__ import annotations

import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import ApiToken
from app.auth.tokens import mint_token
from app.web.session import SESSION_COOKIE
from tests.factories import make_employee, make_entity
from tests.web.helpers import HTML, csrf_of, login, post_form


@pytest.fixture
def employee(session: Session):
    return make_employee(session, make_entity(session))


def test_login_sets_an_http_only_lax_session_cookie(client: TestClient, session: Session, employee):
    response = login(client, employee)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=rc_")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; https gets Secure (below)
    plaintext = client.cookies[SESSION_COOKIE]
    session.commit()
    row = session.exec(
        select(ApiToken).where(
            ApiToken.token_sha256 == hashlib.sha256(plaintext.encode()).hexdigest()
        )
    ).one()
    assert row.kind == "session"
    assert row.user_id == employee.id
    assert client.get("/", headers=HTML).status_code == 200


def test_cookie_is_secure_over_https(app, employee):
    with TestClient(app, base_url="https://testserver") as secure_client:
        response = login(secure_client, employee)
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_pages_send_anonymous_visitors_to_login(client: TestClient):
    response = client.get("/invoices?status=available", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Finvoices%3Fstatus%3Davailable"


def test_login_redirects_only_to_local_paths(client: TestClient, employee):
    page = client.get("/login", headers=HTML)
    response = client.post(
        "/login",
        data={
            "username": employee.username,
            "password": "correct horse battery",
            "next": "//evil.example/phish",
            "csrf_token": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_wrong_password_then_lockout_are_shown_in_words(client: TestClient, employee):
    wrong = login(client, employee, password="wrong password!")
    assert wrong.status_code == 401
    assert "用户名或密码错误" in wrong.text
    for _ in range(5):
        last = login(client, employee, password="wrong password!")
    assert last.status_code == 423
    assert "账户已暂时锁定" in last.text
    assert "Traceback" not in last.text
    # Locked: even the right password is refused, with the lockout message.
    assert login(client, employee).status_code == 423


def test_logout_revokes_the_session(client: TestClient, session: Session, employee):
    login(client, employee)
    plaintext = client.cookies[SESSION_COOKIE]
    response = post_form(client, "/", "/logout", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    session.commit()
    digest = hashlib.sha256(plaintext.encode()).hexdigest()
    row = session.exec(select(ApiToken).where(ApiToken.token_sha256 == digest)).one()
    assert row.revoked_at is not None
    # Replaying the old cookie gets nowhere.
    client.cookies.set(SESSION_COOKIE, plaintext)
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303


def test_an_api_token_in_the_cookie_is_not_a_session(
    client: TestClient, session: Session, employee
):
    import datetime as dt

    _row, plaintext = mint_token(
        session, user=employee, kind="api", name="erp", lifetime=dt.timedelta(days=1)
    )
    session.commit()
    client.cookies.set(SESSION_COOKIE, plaintext)
    assert client.get("/", headers=HTML, follow_redirects=False).status_code == 303


def test_a_form_post_without_csrf_token_is_refused(client: TestClient, employee):
    login(client, employee)
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "表单已失效" in response.text
    assert client.get("/", headers=HTML).status_code == 200  # still logged in


def test_a_wrong_or_foreign_csrf_token_is_refused(client: TestClient, app, session, employee):
    login(client, employee)
    assert client.post("/logout", data={"csrf_token": "0" * 64}).status_code == 403
    # A valid token of another browser's session does not fit this one.
    with TestClient(app) as other:
        other_user = make_employee(session, make_entity(session), name="李四", last4="4321")
        login(other, other_user)
        foreign = csrf_of(other.get("/", headers=HTML))
    response = client.post("/logout", data={"csrf_token": foreign}, follow_redirects=False)
    assert response.status_code == 403


def test_login_itself_needs_the_pre_session_token(client: TestClient, employee):
    response = client.post(
        "/login", data={"username": employee.username, "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_upload_endpoint_refuses_a_post_without_the_csrf_header(client: TestClient, employee):
    login(client, employee)
    response = client.post("/web/invoices/upload", files={"file": ("a.pdf", b"%PDF-1.7")})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/csrf-failed"


@pytest.mark.parametrize("path", ["/login", "/api/v1/users/me", "/healthz", "/static/css/app.css"])
def test_security_headers_on_pages_api_and_assets(client: TestClient, path: str):
    response = client.get(path, headers=HTML)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script(client: TestClient):
    page = client.get("/login", headers=HTML).text
    assert "<script>" not in page
    assert "onclick=" not in page


def test_language_switch_persists_in_a_cookie(client: TestClient, employee):
    assert "登录" in client.get("/login", headers=HTML).text
    english = client.get("/login?lang=en", headers=HTML)
    assert 'lang="en"' in english.text
    assert "Log in" in english.text
    assert "railclaim_lang=en" in english.headers["set-cookie"]
    login(client, employee)
    dashboard = client.get("/", headers=HTML).text
    assert "My invoices" in dashboard
    assert "我的发票" not in dashboard
    back = client.get("/?lang=zh-CN", headers=HTML).text
    assert "我的发票" in back


def test_unknown_page_is_a_404_page_and_api_stays_json(client: TestClient):
    page = client.get("/no-such-page", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "找不到该页面或对象" in page.text
    api = client.get("/api/v1/no-such-thing", headers=HTML)
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_a_post_after_the_session_ended_goes_back_to_login(client: TestClient, employee):
    login(client, employee)
    token = csrf_of(client.get("/tokens", headers=HTML))
    client.cookies.set(SESSION_COOKIE, "rc_expired-or-revoked")
    response = client.post(
        "/tokens", data={"name": "x", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_the_csrf_problem_type_has_its_page(client: TestClient):
    page = client.get("/problems/csrf-failed")
    assert page.status_code == 200
    assert "CSRF" in page.text


def test_a_crash_on_a_page_is_a_page_without_internals(app, client: TestClient):
    def explode() -> None:
        raise RuntimeError("secret internals: /etc/passwd")

    app.add_api_route("/explode", explode, tags=["web-page"])
    response = client.get("/explode", headers=HTML)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "系统出错了" in response.text
    assert "secret internals" not in response.text
    # The request id that the error log line carries, for the clerk to quote.
    assert re.search(r"请求编号: <code>[0-9a-f]{32}</code>", response.text)
