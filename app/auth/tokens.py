"""Bearer token minting and lookup: random high-entropy secrets stored only as SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.auth.models import ApiToken, EmployeeProfile, User, UserEntity
from app.db import utcnow

TOKEN_PREFIX = "rc_"

# Built once: every request runs it, and building a statement costs about as much as running it.
# One row per entity of the user (one, or none, for almost everyone): a second query per
# request for the entities would cost more than the repeated token and user columns. The
# user's employee profile rides along for the same reason: every upload reads it.
_TOKEN_USER_AND_ENTITIES = (
    select(ApiToken, User, UserEntity.entity_id, EmployeeProfile)
    .join(User, col(User.id) == col(ApiToken.user_id))
    .outerjoin(UserEntity, col(UserEntity.user_id) == col(User.id))
    .outerjoin(EmployeeProfile, col(EmployeeProfile.user_id) == col(User.id))
    .where(col(ApiToken.token_sha256) == bindparam("digest"))
)


@dataclass(frozen=True)
class ResolvedToken:
    token: ApiToken
    user: User
    entity_ids: frozenset[uuid.UUID]
    profile: EmployeeProfile | None


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


def resolve_token(session: Session, plaintext: str) -> ResolvedToken | None:
    """The live token, its active user, the user's entities and profile; None for unknown,
    expired or revoked tokens."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    digest = token_digest(plaintext)
    rows = session.exec(_TOKEN_USER_AND_ENTITIES, params={"digest": digest}).all()
    if not rows:
        return None
    row, user, _entity, profile = rows[0]
    # The index lookup is by digest; the explicit constant-time compare guards the match itself.
    if not hmac.compare_digest(row.token_sha256, digest):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not user.is_active:
        return None
    entity_ids = frozenset(entity for _row, _user, entity, _profile in rows if entity is not None)
    return ResolvedToken(row, user, entity_ids, profile)
