"""CSRF protection for every web form and web JSON post: a token bound to the browser session.

The token is an HMAC under `settings.secret_key` of the session token's SHA-256 (or, before
login, of a random pre-session cookie), so it needs no storage, dies with the session, and a
cross-site page can neither read nor compute it. SameSite=Lax cookies are the second layer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from app.config import Settings
from app.problems import AppError
from app.web.session import SESSION_COOKIE, cookie_secure

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
PRESESSION_COOKIE = "railclaim_presession"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfFailed(AppError):
    status, slug = 403, "csrf-failed"
    title = "The form's CSRF token is missing or wrong"
    explanation = (
        "Web forms carry a token tied to your login session; reload the page and submit again."
    )


def _secret(request: Request) -> bytes:
    settings: Settings = request.app.state.settings
    return settings.secret_key.get_secret_value().encode()


def _binding(request: Request) -> str | None:
    """What the token is bound to: the session if logged in, else the pre-session cookie."""
    session_token = request.cookies.get(SESSION_COOKIE)
    if session_token:
        return "s:" + hashlib.sha256(session_token.encode()).hexdigest()
    seed = request.cookies.get(PRESESSION_COOKIE) or getattr(request.state, "presession_seed", None)
    return "p:" + seed if seed else None


def csrf_token(request: Request) -> str:
    """The token to embed in forms; before login it also plants the pre-session seed."""
    binding = _binding(request)
    if binding is None:
        seed = secrets.token_urlsafe(24)
        request.state.presession_seed = seed
        binding = "p:" + seed
    return hmac.new(_secret(request), binding.encode(), hashlib.sha256).hexdigest()


def plant_presession(request: Request, response: Response) -> None:
    """Sets the pre-session cookie if `csrf_token` had to invent one for this response."""
    seed = getattr(request.state, "presession_seed", None)
    if seed and not request.cookies.get(PRESESSION_COOKIE):
        response.set_cookie(
            PRESESSION_COOKIE,
            seed,
            httponly=True,
            samesite="lax",
            secure=cookie_secure(request),
            path="/",
        )


async def verify_csrf(request: Request) -> None:
    """Refuses an unsafe request whose token (form field or header) does not match."""
    if request.method not in _UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    binding = _binding(request)
    if not sent or binding is None:
        raise CsrfFailed("The form lacks its security token; reload the page and try again.")
    expected = hmac.new(_secret(request), binding.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed("The form's security token is wrong or expired; reload the page.")


CsrfChecked = Annotated[None, Depends(verify_csrf)]
