"""FastAPI dependencies: the current principal from a bearer token, role requirements, actors."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.audit.deps import AuditKeyDep
from app.auth.actor import Actor
from app.auth.models import ApiToken, Role
from app.auth.principal import Principal
from app.auth.tokens import resolve_token
from app.db import SessionDep, begin_read, utcnow
from app.problems import Forbidden, Unauthorized

log = logging.getLogger(__name__)

# Where app/credentials_gate.py leaves (credential, principal) on request.state.
GATE_STATE_KEY = "gate_principal"

_bearer = HTTPBearer(auto_error=False, description="Login session or API token")

# Recording every request's use would turn reads into writes; a coarse stamp is enough to audit.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def principal_for_token(session: Session, plaintext: str) -> Principal | None:
    """The principal behind a bearer or cookie token; None if unknown, expired or revoked."""
    # Every request runs this lookup: as a reader it never queues behind the writers on SQLite.
    # It ends here either way, so the endpoint's own work starts a transaction of its own. A
    # commit, not a rollback: a rollback would expire the user and token rows, and every later
    # `principal.id` would reload them.
    begin_read(session)
    try:
        resolved = resolve_token(session, plaintext)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    if resolved is None:
        return None
    _stamp_last_use(session, resolved.token)
    return Principal(
        user=resolved.user,
        token=resolved.token,
        entity_ids=resolved.entity_ids,
        profile=resolved.profile,
        entities_by_uscc=resolved.entities_by_uscc,
    )


def _stamp_last_use(session: Session, token: ApiToken) -> None:
    """Records the token's use, at most once per _LAST_USED_RESOLUTION, in a write of its own.

    Bookkeeping only: if the write cannot be made now (SQLite busy for the whole timeout), the
    request goes on without it and a later one stamps the token."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at <= _LAST_USED_RESOLUTION:
        return
    token.last_used_at = now
    try:
        session.commit()
    except OperationalError:
        session.rollback()
        log.warning("token last-use stamp skipped: the database is busy")


def gate_resolved(state: object, plaintext: str) -> Principal | None:
    """The principal resolved for this very credential before the body was read, if it was."""
    resolved = getattr(state, GATE_STATE_KEY, None)
    if resolved is None or resolved[0] != plaintext:
        return None
    principal: Principal = resolved[1]
    return principal


async def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # Async: a request the gate resolved (every one with a body) costs no hop to the thread
    # pool; only a lookup of the database goes there.
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send a bearer token (POST /api/v1/auth/token, or an API token).")
    principal = gate_resolved(request.state, credentials.credentials)
    if principal is None:
        principal = await run_in_threadpool(principal_for_token, session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The token is unknown, expired or revoked.")
    return principal


CurrentUser = Annotated[Principal, Depends(get_principal)]


def role_gate(roles: tuple[Role, ...], *, needed_by: str) -> Callable[[Principal], Principal]:
    """The check admitting principals holding any of `roles`; else a 403 problem saying which
    roles `needed_by` (an action of the API, a page of the web) needs."""
    refusal = f"This {needed_by} needs one of the roles: {', '.join(r.value for r in roles)}."

    def admit(principal: Principal) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(refusal)
        return principal

    return admit


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits principals holding any of `roles`, else a 403 problem."""
    admit = role_gate(roles, needed_by="action")

    async def dependency(principal: CurrentUser) -> Principal:
        return admit(principal)

    return dependency


AdminUser = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
FinanceUser = Annotated[Principal, Depends(require_roles(Role.FINANCE))]


def actor_with(*roles: Role) -> Callable[[Principal, bytes], Awaitable[Actor]]:
    """A dependency that admits principals holding any of `roles` and answers them as actors."""
    admit = require_roles(*roles)

    # Annotations name globals only: FastAPI resolves them in the module, not in this closure.
    async def dependency(principal: CurrentUser, key: AuditKeyDep) -> Actor:
        return Actor(await admit(principal), key)

    return dependency


FinanceActor = Annotated[Actor, Depends(actor_with(Role.FINANCE))]
AdminActor = Annotated[Actor, Depends(actor_with(Role.ADMIN))]
