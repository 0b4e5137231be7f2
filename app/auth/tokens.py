"""Bearer token minting and lookup: random high-entropy secrets stored only as SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.auth.models import ApiToken, User
from app.db import utcnow

TOKEN_PREFIX = "rc_"

# Built once: every request runs it, and building a statement costs about as much as running it.
_TOKEN_AND_USER = (
    select(ApiToken, User)
    .join(User, col(User.id) == col(ApiToken.user_id))
    .where(col(ApiToken.token_sha256) == bindparam("digest"))
)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mint_token(
    session: Session,
    *,
    user: User,
    kind: str,
    name: str,
    lifetime: dt.timedelta | None,
) -> tuple[ApiToken, str]:
    """Adds a token row to the session and returns it with the plaintext, shown only once."""
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        kind=kind,
        name=name,
        token_sha256=token_digest(plaintext),
        expires_at=utcnow() + lifetime if lifetime else None,
    )
    session.add(row)
    return row, plaintext


def resolve_token(session: Session, plaintext: str) -> tuple[ApiToken, User] | None:
    """The live token and its active user, or None for unknown, expired or revoked tokens."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    digest = token_digest(plaintext)
    found = session.exec(_TOKEN_AND_USER, params={"digest": digest}).first()
    if found is None:
        return None
    row, user = found
    # The index lookup is by digest; the explicit constant-time compare guards the match itself.
    if not hmac.compare_digest(row.token_sha256, digest):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not user.is_active:
        return None
    return row, user
