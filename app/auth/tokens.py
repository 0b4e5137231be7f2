"""Bearer token minting and lookup: random high-entropy secrets stored only as SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlmodel import Session, select

from app.auth.models import ApiToken, User
from app.db import utcnow

TOKEN_PREFIX = "rc_"


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
    row = session.exec(select(ApiToken).where(ApiToken.token_sha256 == digest)).first()
    # The index lookup is by digest; the explicit constant-time compare guards the match itself.
    if row is None or not hmac.compare_digest(row.token_sha256, digest):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return row, user
