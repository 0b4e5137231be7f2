"""Login with lockout, users and their profiles, and API tokens."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.audit.service import AuditedObject, EventRecorder, audit_key
from app.auth import throttle
from app.auth.errors import (
    AccountDisabled,
    AccountLocked,
    DuplicateUsername,
    InvalidCredentials,
)
from app.auth.home_entity import record_account_event
from app.auth.models import ApiToken, EmployeeProfile, Role, User, UserEntity
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.principal import Principal
from app.auth.schemas import ApiTokenCreate, ProfileOut, UserCreate, UserOut
from app.auth.tokens import mint_token
from app.config import Settings
from app.db import utcnow
from app.entities.models import LegalEntity
from app.kit.pagination import paginate_table
from app.problems import Forbidden, NotFound, ValidationProblem


def login(
    session: Session, *, username: str, password: str, settings: Settings
) -> tuple[ApiToken, str]:
    """Checks a password login, counting failures per name tried towards a lockout.

    Whether the name exists or not, the answers and the work behind them are alike: a locked
    name answers 423 with the same body, and every other failure 401 after one verification."""
    user = _user_named(session, username)
    locked = throttle.locked_until(session, username)
    if locked is not None:
        throttle.note_refusal(session, username)
        _finish_failure(session, user, settings, reason="locked")
        raise AccountLocked(
            "Too many failed logins; the account is locked for a while.",
            locked_until=locked.isoformat(),
        )
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is not None and password_ok and not user.is_active:
        # Said only to whoever knows the password: a guesser learns nothing about the account.
        _finish_failure(session, user, settings, reason="inactive")
        raise AccountDisabled("This account is deactivated; ask an administrator.")
    if user is None or not password_ok:
        locks = throttle.count_failure(session, username, settings)
        _finish_failure(session, user, settings, reason="password", locks=locks)
        raise InvalidCredentials("Wrong username or password.")
    throttle.forget(session, username)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    lifetime = dt.timedelta(minutes=settings.token_lifetime_minutes)
    row, plaintext = mint_token(session, user=user, kind="session", name="login", lifetime=lifetime)
    record_account_event(
        session,
        actor=user,
        user_id=user.id,
        action="auth.login",
        details={"token_id": str(row.id)},
        key=audit_key(settings),
    )
    session.commit()
    return row, plaintext


def _user_named(session: Session, username: str) -> User | None:
    name = username.strip().lower()
    # No username holds a control character, and PostgreSQL refuses NUL in text outright:
    # such a name is simply unknown (and still costs the decoy verification).
    if not name.isprintable():
        return None
    return session.exec(select(User).where(User.username == name)).first()


def _finish_failure(
    session: Session, user: User | None, settings: Settings, *, reason: str, locks: bool = False
) -> None:
    # A failure against a real account is audited; guesses at unknown names are only counted.
    # Nobody is authenticated yet, so there is no actor; the object is the account tried.
    if user is not None:
        record_account_event(
            session,
            actor=None,
            user_id=user.id,
            action="auth.login-failed",
            details={"username": user.username, "reason": reason, "locks_account": locks},
            key=audit_key(settings),
        )
    session.commit()


def create_user(
    session: Session, data: UserCreate, *, actor: User | None, settings: Settings
) -> UserOut:
    """Creates a user with memberships and profile; `actor` None means the system (CLI, demo)."""
    entity_ids = data.entity_ids or _default_entity_ids(session)
    _require_entities_exist(session, entity_ids)
    if data.profile and data.profile.manager_id and not session.get(User, data.profile.manager_id):
        raise ValidationProblem("profile.manager_id", "no user with this id")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password) if data.password else None,
        roles=sorted({role.value for role in data.roles}),
        is_service=data.is_service,
        email=data.email,
        language=data.language,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise DuplicateUsername(f"The username {data.username!r} is taken.") from exc
    session.add_all(UserEntity(user_id=user.id, entity_id=eid) for eid in entity_ids)
    if data.profile:
        session.add(EmployeeProfile(user_id=user.id, **data.profile.model_dump()))
    _record_user_created(session, user, entity_ids, actor=actor, settings=settings)
    session.commit()
    return user_out(session, user)


def _record_user_created(
    session: Session,
    user: User,
    entity_ids: list[uuid.UUID],
    *,
    actor: User | None,
    settings: Settings,
) -> None:
    # The profile (passenger name, ID digits) stays out: the log is kept for 30 years.
    EventRecorder(actor, audit_key(settings)).record(
        session,
        "user.created",
        AuditedObject("user", user.id, entity_ids[0] if len(entity_ids) == 1 else None),
        details={
            "username": user.username,
            "roles": user.roles,
            "is_service": user.is_service,
            "entity_ids": [str(eid) for eid in entity_ids],
        },
    )


def _default_entity_ids(session: Session) -> list[uuid.UUID]:
    """A user created while exactly one entity exists belongs to it (SPEC)."""
    ids = session.exec(select(LegalEntity.id).limit(2)).all()
    return list(ids) if len(ids) == 1 else []


def _require_entities_exist(session: Session, entity_ids: list[uuid.UUID]) -> None:
    if not entity_ids:
        return
    found = session.exec(
        select(func.count()).select_from(LegalEntity).where(col(LegalEntity.id).in_(entity_ids))
    ).one()
    if found != len(set(entity_ids)):
        raise ValidationProblem("entity_ids", "one or more legal entities do not exist")


# Built once: user reads and command-line principals run it.
_ENTITY_IDS_OF_USER = select(UserEntity.entity_id).where(
    col(UserEntity.user_id) == bindparam("user_id")
)


def user_entity_ids(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    rows = session.exec(_ENTITY_IDS_OF_USER, params={"user_id": user_id}).all()
    return sorted(rows)


def user_out(session: Session, user: User) -> UserOut:
    profile = session.get(EmployeeProfile, user.id)
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=user.roles,
        is_active=user.is_active,
        is_service=user.is_service,
        email=user.email,
        language=user.language,
        entity_ids=user_entity_ids(session, user.id),
        profile=ProfileOut.model_validate(profile, from_attributes=True) if profile else None,
        created_at=user.created_at,
    )


def list_users(
    session: Session, *, cursor: str | None, limit: int
) -> tuple[list[UserOut], str | None]:
    rows, next_cursor = paginate_table(session, select(User), User, cursor=cursor, limit=limit)
    return [user_out(session, u) for u in rows], next_cursor


def create_api_token(
    session: Session, *, principal: Principal, data: ApiTokenCreate, settings: Settings
) -> tuple[ApiToken, str]:
    """A long-lived system token; admins may mint one for another (service) user."""
    target_id = data.user_id or principal.id
    if target_id != principal.id and not principal.is_admin:
        raise Forbidden("Only admins create tokens for other users.")
    target = session.get(User, target_id)
    if target is None or not target.is_active:
        raise ValidationProblem("user_id", "no active user with this id")
    return mint_api_token(
        session,
        user=target,
        name=data.name,
        days=data.expires_in_days,
        actor=principal.user,
        settings=settings,
    )


def mint_api_token(
    session: Session,
    *,
    user: User,
    name: str,
    days: int | None,
    actor: User | None,
    settings: Settings,
) -> tuple[ApiToken, str]:
    """A long-lived API token for `user`; `actor` None means the system (CLI)."""
    lifetime = dt.timedelta(days=days) if days else None
    row, plaintext = mint_token(session, user=user, kind="api", name=name, lifetime=lifetime)
    record_account_event(
        session,
        actor=actor,
        user_id=user.id,
        action="token.created",
        details={
            "name": name,
            "user_id": str(user.id),
            "username": user.username,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
        key=audit_key(settings),
        token_id=row.id,
    )
    session.commit()
    return row, plaintext


def revoke_token(
    session: Session,
    *,
    principal: Principal,
    token_id: uuid.UUID,
    settings: Settings,
    action: str = "token.revoked",
) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != principal.id and not principal.has_role(Role.ADMIN)):
        raise NotFound("No such token.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record_account_event(
            session,
            actor=principal.user,
            user_id=row.user_id,
            action=action,
            details={"kind": row.kind, "name": row.name, "user_id": str(row.user_id)},
            key=audit_key(settings),
            token_id=row.id,
        )
        session.commit()


def revoke_current(session: Session, *, principal: Principal, settings: Settings) -> None:
    if principal.token is None:
        return
    revoke_token(
        session,
        principal=principal,
        token_id=principal.token.id,
        settings=settings,
        action="auth.logout",
    )


def principal_for(session: Session, user: User) -> Principal:
    """The principal of `user` for commands run outside a request (CLI, demo, workers)."""
    return Principal(
        user=user,
        token=None,
        entity_ids=frozenset(user_entity_ids(session, user.id)),
        profile=session.get(EmployeeProfile, user.id),
    )


def list_api_tokens(session: Session, *, principal: Principal, limit: int = 100) -> list[ApiToken]:
    """Live API tokens, newest first: one's own, or every user's for admins (no secrets kept)."""
    statement = select(ApiToken).where(ApiToken.kind == "api", col(ApiToken.revoked_at).is_(None))
    if not principal.is_admin:
        statement = statement.where(ApiToken.user_id == principal.id)
    statement = statement.order_by(col(ApiToken.created_at).desc()).limit(limit)
    return list(session.exec(statement).all())
