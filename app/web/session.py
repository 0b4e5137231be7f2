"""Browser sessions: a `session` bearer token (stored as SHA-256) carried in an HttpOnly cookie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Response

from app.auth.deps import gate_resolved, principal_for_token, role_gate
from app.auth.models import ApiToken, Role
from app.auth.principal import Principal
from app.db import SessionDep
from app.problems import AppError
from app.web.nav import LEDGER_READERS

SESSION_COOKIE = "railclaim_session"


class LoginRequired(AppError):
    """Rendered as a redirect to the login page for pages, a 401 problem for web JSON."""

    status, slug = 401, "unauthorized"


def cookie_secure(request: Request) -> bool:
    # Behind TLS (directly, or via a proxy uvicorn trusts) and always in production.
    settings = request.app.state.settings
    return request.url.scheme == "https" or settings.environment == "production"


def set_session_cookie(
    request: Request, response: Response, token: ApiToken, plaintext: str
) -> None:
    max_age = None
    if token.expires_at is not None:
        max_age = max(int((token.expires_at - token.created_at).total_seconds()), 0)
    response.set_cookie(
        SESSION_COOKIE,
        plaintext,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=cookie_secure(request), path="/"
    )


def optional_web_principal(request: Request, session: SessionDep) -> Principal | None:
    """The logged-in user of this browser, if any; only `session` tokens count in a cookie."""
    plaintext = request.cookies.get(SESSION_COOKIE)
    if not plaintext:
        return None
    principal = gate_resolved(request.state, plaintext) or principal_for_token(session, plaintext)
    # An API token pasted into a cookie is refused: cookies carry login sessions only.
    if principal is None or principal.token is None or principal.token.kind != "session":
        return None
    # Kept for the error page, which has no session of its own to look the user up with.
    request.state.web_principal = principal
    return principal


def optional_principal_of(request: Request) -> Principal | None:
    """The principal this request already resolved, if it got that far."""
    principal: Principal | None = getattr(request.state, "web_principal", None)
    return principal


def web_principal(
    principal: Annotated[Principal | None, Depends(optional_web_principal)],
) -> Principal:
    if principal is None:
        raise LoginRequired("Log in to continue.")
    return principal


MaybeWebUser = Annotated[Principal | None, Depends(optional_web_principal)]
WebUser = Annotated[Principal, Depends(web_principal)]


def require_web_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that admits signed-in users holding any of `roles`, else a 403 problem."""
    admit = role_gate(roles, needed_by="page")

    def dependency(principal: WebUser) -> Principal:
        return admit(principal)

    return dependency


# The same roles as the API dependencies (app.auth.deps, app.invoices.deps).
FinanceWebUser = Annotated[Principal, Depends(require_web_roles(Role.FINANCE))]
AdminWebUser = Annotated[Principal, Depends(require_web_roles(Role.ADMIN))]
AuditWebUser = Annotated[Principal, Depends(require_web_roles(Role.AUDITOR, Role.ADMIN))]
LedgerWebUser = Annotated[Principal, Depends(require_web_roles(*LEDGER_READERS))]
UploaderWebUser = Annotated[
    Principal, Depends(require_web_roles(Role.EMPLOYEE, Role.FINANCE, Role.ADMIN))
]
