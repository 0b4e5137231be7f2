"""Credentials are checked before a request's body is read (SPEC hardening).

FastAPI reads and parses a form or JSON body before it resolves the dependencies that check
the bearer token, so an unauthenticated 20 MB upload was taken in full before its 401. This
gate resolves the credential first, from the headers alone, refuses a request without a valid
one at once, and hands the resolved principal on so the endpoint does not look it up again.
"""

from __future__ import annotations

from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth.deps import GATE_STATE_KEY, principal_for_token
from app.auth.principal import Principal
from app.problems import busy_response, is_database_busy, problem_response
from app.web.session import SESSION_COOKIE

# The only endpoints that take a body from someone not yet logged in: the two logins.
OPEN_PATHS = frozenset({"/api/v1/auth/token", "/login"})


class CredentialsBeforeBodyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope) or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/api/")
        plaintext = _bearer(scope) if is_api else _cookie(scope)
        principal = None
        if plaintext:
            engine = scope["app"].state.engine
            try:
                principal = await run_in_threadpool(_resolve, engine, plaintext, cookie=not is_api)
            except OperationalError as exc:
                # Out here the app's handlers do not run: answer as they would (overload, 503).
                if not is_database_busy(exc):
                    raise
                await busy_response({"Connection": "close"})(scope, receive, send)
                return
        if principal is None:
            await _refuse(scope, receive, send, as_json=is_api or scope["path"].startswith("/web/"))
            return
        scope.setdefault("state", {})[GATE_STATE_KEY] = (plaintext, principal)
        await self.app(scope, receive, send)


def _resolve(engine: Engine, plaintext: str, *, cookie: bool) -> Principal | None:
    with Session(engine, expire_on_commit=False) as session:
        principal = principal_for_token(session, plaintext)
    # A cookie carries login sessions only; an API token pasted into one is refused.
    if cookie and principal is not None and getattr(principal.token, "kind", None) != "session":
        return None
    return principal


def _has_body(scope: Scope) -> bool:
    headers = dict(scope["headers"])
    length = headers.get(b"content-length")
    return b"transfer-encoding" in headers or (length is not None and length.strip() != b"0")


def _bearer(scope: Scope) -> str | None:
    # Read as the endpoint's HTTPBearer reads it, so the gate and the endpoint agree.
    value = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    scheme, token = get_authorization_scheme_param(value)
    return token or None if scheme.lower() == "bearer" else None


def _cookie(scope: Scope) -> str | None:
    # Starlette's own parser, the one behind `request.cookies` that the web pages read.
    raw = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    return cookie_parser(raw).get(SESSION_COOKIE) or None


async def _refuse(scope: Scope, receive: Receive, send: Send, *, as_json: bool) -> None:
    # The body stays unread; the connection closes, so its rest is not taken as a next request.
    # The API and the web's own JSON calls (/web/...) get a problem; pages go to the login.
    response: Response
    if as_json:
        response = problem_response(
            401,
            "unauthorized",
            detail="Send a valid bearer token (POST /api/v1/auth/token, or an API token).",
            headers={"WWW-Authenticate": "Bearer", "Connection": "close"},
        )
    else:
        response = RedirectResponse("/login", status_code=303, headers={"Connection": "close"})
    await response(scope, receive, send)
