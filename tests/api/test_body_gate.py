"""Credentials before the body, and a deadline for the body (SPEC hardening, issue 15.5).

An unauthenticated 20 MB multipart body used to be read in full before its 401, and a body
that trickled in held its worker for as long as the client liked. These drive the ASGI app
directly, so they can see whether the body was read at all and can stall a body mid-way.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from app import credentials_gate
from app.auth.tokens import mint_token
from app.config import Settings
from app.invoices.models import Invoice
from app.main import create_app
from tests.factories import bearer, make_user

CHUNK = b"x" * (256 * 1024)
PART_HEAD = (
    b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n"
)
MULTIPART = "multipart/form-data; boundary=zzz"


@dataclass
class Exchange:
    reads: int = 0
    messages: list[dict[str, object]] = field(default_factory=list)

    @property
    def status(self) -> int:
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        status = start["status"]
        assert isinstance(status, int)
        return status

    @property
    def headers(self) -> dict[str, str]:
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        raw = start["headers"]
        assert isinstance(raw, list)
        return {k.decode(): v.decode() for k, v in raw}

    @property
    def json(self) -> dict[str, object]:
        body = b"".join(
            m["body"]
            for m in self.messages
            if m["type"] == "http.response.body"  # type: ignore[misc]
        )
        loaded: dict[str, object] = json.loads(body)
        return loaded


def call(
    app: FastAPI,
    path: str,
    *,
    headers: dict[str, str],
    chunks: list[bytes],
    stall: bool = False,
) -> Exchange:
    """POSTs `chunks` as the body; with `stall`, the client then sends nothing more."""
    exchange = Exchange()

    async def receive() -> dict[str, object]:
        exchange.reads += 1
        if exchange.reads <= len(chunks):
            more = exchange.reads < len(chunks) or stall
            return {"type": "http.request", "body": chunks[exchange.reads - 1], "more_body": more}
        if stall:
            await asyncio.Event().wait()  # never set: the deadline has to end this
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        exchange.messages.append(message)

    length = sum(len(c) for c in chunks)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (k.lower().encode(), v.encode())
            for k, v in {**headers, "content-length": str(length), "host": "testserver"}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=20))
    return exchange


def test_an_anonymous_upload_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    sent = call(app, "/api/v1/invoices", headers={"content-type": MULTIPART}, chunks=[CHUNK] * 4)
    assert sent.status == 401
    assert sent.reads == 0
    assert sent.json["type"] == "/problems/unauthorized"
    assert sent.headers["connection"] == "close"


def test_a_made_up_token_is_refused_before_the_body_too(app: FastAPI) -> None:
    headers = {"content-type": MULTIPART, "authorization": "Bearer rc_not-a-real-token"}
    sent = call(app, "/api/v1/invoices", headers=headers, chunks=[CHUNK] * 4)
    assert (sent.status, sent.reads) == (401, 0)


def test_web_posts_without_a_session_go_to_the_login_unread(app: FastAPI) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    page = call(app, "/claims/new", headers=form, chunks=[b"title=x"])
    assert (page.status, page.headers["location"], page.reads) == (303, "/login", 0)
    upload = call(app, "/web/invoices/upload", headers={"content-type": MULTIPART}, chunks=[CHUNK])
    assert (upload.status, upload.reads) == (401, 0)  # the uploader's JSON call: a problem


def test_an_api_token_in_the_session_cookie_opens_nothing(app: FastAPI, session: Session) -> None:
    user = make_user(session, "employee")
    _row, api_token = mint_token(session, user=user, kind="api", name="script", lifetime=None)
    session.commit()
    form = {"content-type": "application/x-www-form-urlencoded"}
    cookie = {**form, "cookie": f"railclaim_session={api_token}"}
    assert call(app, "/claims/new", headers=cookie, chunks=[b"title=x"]).reads == 0
    login_session = bearer(session, user)["Authorization"].split()[1]
    cookie = {**form, "cookie": f"railclaim_session={login_session}"}
    assert call(app, "/claims/new", headers=cookie, chunks=[b"title=x"]).reads > 0


def test_the_login_itself_takes_a_body_without_credentials(app: FastAPI) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    sent = call(app, "/api/v1/auth/token", headers=form, chunks=[b"username=a&password=b"])
    assert sent.reads > 0
    assert sent.status == 401
    assert sent.json["type"] == "/problems/invalid-credentials"


def test_a_known_token_reads_the_body_and_the_endpoint_runs(app: FastAPI, session: Session) -> None:
    headers = {
        **bearer(session, make_user(session, "employee")),
        "content-type": "application/json",
    }
    sent = call(app, "/api/v1/claims", headers=headers, chunks=[b'{"title": "gate"}'])
    assert sent.reads > 0
    assert sent.status in (201, 422), sent.json  # past the gate: the endpoint's own answer


def test_a_body_slower_than_the_deadline_gets_408(settings: Settings, session: Session) -> None:
    quick = create_app(settings.model_copy(update={"body_timeout_seconds": 0.3}))
    try:
        headers = {**bearer(session, make_user(session, "employee")), "content-type": MULTIPART}
        before = session.exec(select(func.count()).select_from(Invoice)).one()
        sent = call(
            quick, "/api/v1/invoices", headers=headers, chunks=[PART_HEAD + CHUNK], stall=True
        )
        assert sent.status == 408
        assert sent.json["type"] == "/problems/request-timeout"
        assert sent.headers["connection"] == "close"
        session.expire_all()
        assert session.exec(select(func.count()).select_from(Invoice)).one() == before
    finally:
        quick.state.engine.dispose()
        quick.state.read_engine.dispose()


def test_a_busy_database_at_the_gate_is_a_503_problem(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(credentials_gate, "_resolve", busy)
    headers = {"content-type": MULTIPART, "authorization": "Bearer rc_whatever"}
    sent = call(app, "/api/v1/invoices", headers=headers, chunks=[CHUNK])
    assert (sent.status, sent.reads) == (503, 0)
    assert sent.json["type"] == "/problems/busy"


def test_the_gate_reads_cookies_as_the_pages_do(app: FastAPI, session: Session) -> None:
    # A stray cookie the strict http.cookies parser rejects must not lock a logged-in user out
    # of every form: the gate reads the header with Starlette's parser, like request.cookies.
    token = bearer(session, make_user(session, "employee"))["Authorization"].split()[1]
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "cookie": f'tracker"x=1; railclaim_session={token}',
    }
    assert call(app, "/claims/new", headers=headers, chunks=[b"title=x"]).reads > 0
