"""FastAPI dependencies: the current principal from a bearer token, and role requirements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.tokens import resolve_token
from app.db import SessionDep, begin_read, utcnow
from app.problems import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="Login session or API token")

# Recording every request's use would turn reads into writes; a coarse stamp is enough to audit.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def principal_for_token(session: Session, plaintext: str) -> Principal | None:
    """The principal behind a bearer or cookie token; None if unknown, expired or revoked."""
    # Every request runs this lookup: as a reader it never queues behind the writers on SQLite.
    begin_read(session)
    resolved = resolve_token(session, plaintext)
    if resolved is None:
        return None
    token, user = resolved.token, resolved.user
    # End the lookup before the endpoint's own work. A commit, not a rollback: a rollback would
    # expire the user and token rows, and every later `principal.id` would reload them.
    session.commit()
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.commit()  # a short write of its own, once per token every few minutes
    return Principal(
        user=user, token=token, entity_ids=resolved.entity_ids, profile=resolved.profile
    )


def get_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send a bearer token (POST /api/v1/auth/token, or an API token).")
    principal = principal_for_token(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The token is unknown, expired or revoked.")
    return principal


CurrentUser = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that admits principals holding any of `roles`, else a 403 problem."""
    names = ", ".join(r.value for r in roles)

    def dependency(principal: CurrentUser) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(f"This action needs one of the roles: {names}.")
        return principal

    return dependency


AdminUser = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
FinanceUser = Annotated[Principal, Depends(require_roles(Role.FINANCE))]
