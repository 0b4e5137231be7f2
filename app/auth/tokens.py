"""Bearer token minting and lookup: random high-entropy secrets stored only as SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from app.auth.models import ApiToken, EmployeeProfile, User, UserEntity
from app.db import utcnow
from app.entities.models import LegalEntity

TOKEN_PREFIX = "rc_"

# Built once: every request runs it, and building a statement costs about as much as running it.
# One row per entity of the user (one, or none, for almost everyone): a second query per
# request for the entities would cost more than the repeated token and user columns. The
# user's employee profile and each entity's USCC and name ride along for the same reason:
# every upload reads them (the buyer is matched against them).
_TOKEN_USER_AND_ENTITIES = (
    select(
        ApiToken,
        User,
        col(UserEntity.entity_id),
        EmployeeProfile,
        col(LegalEntity.uscc),
        col(LegalEntity.name),
    )
    .join(User, col(User.id) == col(ApiToken.user_id))
    .outerjoin(UserEntity, col(UserEntity.user_id) == col(User.id))
    .outerjoin(LegalEntity, col(LegalEntity.id) == col(UserEntity.entity_id))
    .outerjoin(EmployeeProfile, col(EmployeeProfile.user_id) == col(User.id))
    .where(col(ApiToken.token_sha256) == bindparam("digest"))
)


@dataclass(frozen=True)
class ResolvedToken:
    token: ApiToken
    user: User
    entity_ids: frozenset[uuid.UUID]
    profile: EmployeeProfile | None
    # (id, name) of each of the user's entities, by USCC.
    entities_by_uscc: dict[str, tuple[uuid.UUID, str]]


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
    rows = session.execute(_TOKEN_USER_AND_ENTITIES, {"digest": digest}).all()
    if not rows:
        return None
    row, user, _entity, profile, _uscc, _name = rows[0]
    # The index lookup is by digest; the explicit constant-time compare guards the match itself.
    if not hmac.compare_digest(row.token_sha256, digest):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not user.is_active:
        return None
    entities = {r[4]: (r[2], r[5]) for r in rows if r[2] is not None}
    return ResolvedToken(row, user, frozenset(e for e, _ in entities.values()), profile, entities)
