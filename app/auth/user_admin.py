"""Administering users: read, change (roles, entities, profile, deactivation) and passwords.

Deactivating a user revokes every token and login session of theirs in the same transaction
(and token lookup refuses inactive users anyway), so a credential in flight stops at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col

from app.audit.service import audit_key
from app.auth import throttle
from app.auth.home_entity import record_account_event
from app.auth.models import ApiToken, EmployeeProfile, Role, User, UserEntity
from app.auth.passwords import hash_password, verify_password
from app.auth.principal import Principal
from app.auth.schemas import PasswordChange, ProfilePatch, UserOut, UserUpdate
from app.auth.service import _require_entities_exist, user_out
from app.config import Settings
from app.db import utcnow
from app.problems import NotFound, ValidationProblem


def get_user(session: Session, user_id: uuid.UUID) -> UserOut:
    """One user's JSON (admins); 404 when there is none."""
    return user_out(session, _load(session, user_id))


def update_user(
    session: Session, user_id: uuid.UUID, data: UserUpdate, *, admin: Principal, settings: Settings
) -> UserOut:
    """Applies the fields sent; audited with the names of the fields changed, not their values."""
    user = _load(session, user_id, for_update=True)
    changed: dict[str, Any] = {}
    sent = data.model_fields_set
    if user.id == admin.id:
        _refuse_self_lockout(data)
    if "display_name" in sent and data.display_name is not None:
        user.display_name = data.display_name
        changed["display_name"] = True
    if "roles" in sent and data.roles is not None:
        user.roles = sorted({role.value for role in data.roles})
        changed["roles"] = user.roles
    if "email" in sent:
        user.email = data.email
        changed["email"] = data.email is not None
    if "language" in sent and data.language is not None:
        user.language = data.language
        changed["language"] = data.language
    if "entities" in sent and data.entities is not None:
        _replace_entities(session, user, data.entities)
        changed["entity_ids"] = [str(e) for e in sorted(set(data.entities))]
    if data.profile is not None:
        changed["profile"] = _patch_profile(session, user, data.profile)
    if "active" in sent and data.active is not None and data.active != user.is_active:
        user.is_active = data.active
        changed["active"] = data.active
        if not data.active:
            changed["tokens_revoked"] = revoke_all_tokens(session, user.id)
    session.add(user)
    _audit(session, admin, user, "user.updated", {"changed": changed}, settings)
    session.commit()
    return user_out(session, user)


def _refuse_self_lockout(data: UserUpdate) -> None:
    # An admin who deactivates or demotes themselves may leave nobody to undo it.
    if data.active is False:
        raise ValidationProblem(
            "active", "you cannot deactivate your own account", code="own_account_deactivated"
        )
    if data.roles is not None and Role.ADMIN not in data.roles:
        raise ValidationProblem(
            "roles", "you cannot remove your own admin role", code="own_admin_role_removed"
        )


def _replace_entities(session: Session, user: User, entity_ids: list[uuid.UUID]) -> None:
    _require_entities_exist(session, entity_ids)
    session.execute(delete(UserEntity).where(col(UserEntity.user_id) == user.id))
    session.add_all(UserEntity(user_id=user.id, entity_id=e) for e in sorted(set(entity_ids)))


def _patch_profile(session: Session, user: User, patch: ProfilePatch) -> list[str]:
    """Sets the profile fields sent (creating the profile if needed); returns their names."""
    fields = patch.model_dump(exclude_unset=True)
    manager_id = fields.get("manager_id")
    if manager_id is not None:
        if manager_id == user.id:
            raise ValidationProblem(
                "profile.manager_id", "a user is not their own manager", code="own_manager"
            )
        if session.get(User, manager_id) is None:
            raise ValidationProblem(
                "profile.manager_id", "no user with this id", code="unknown_user"
            )
    if fields.get("employment_type", "") is None:
        raise ValidationProblem("profile.employment_type", "cannot be null")
    profile = session.get(EmployeeProfile, user.id) or EmployeeProfile(user_id=user.id)
    for name, value in fields.items():
        setattr(profile, name, value)
    session.add(profile)
    return sorted(fields)


def revoke_all_tokens(session: Session, user_id: uuid.UUID) -> int:
    """Revokes every live token and session of the user in the caller's transaction."""
    result = session.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def set_password(
    session: Session,
    user_id: uuid.UUID,
    data: PasswordChange,
    *,
    principal: Principal,
    settings: Settings,
) -> None:
    """Admins set anyone's password; a user changes their own with `current_password`.

    Either way the user's other login sessions end: whoever held the old password is out."""
    own = user_id == principal.id
    if not own and not principal.is_admin:
        raise NotFound("No such user.")
    user = _load(session, user_id, for_update=True)
    if own and not verify_password(user.password_hash, data.current_password or ""):
        raise ValidationProblem(
            "current_password",
            "does not match your current password",
            code="current_password_wrong",
        )
    user.password_hash = hash_password(data.password)
    throttle.forget(session, user.username)  # a new password lifts a lockout
    session.add(user)
    conditions = [
        col(ApiToken.user_id) == user.id,
        col(ApiToken.kind) == "session",
        col(ApiToken.revoked_at).is_(None),
    ]
    if own and principal.token is not None:
        conditions.append(col(ApiToken.id) != principal.token.id)  # the caller stays logged in
    ended = session.execute(update(ApiToken).where(*conditions).values(revoked_at=utcnow()))
    action = "user.password-changed" if own else "user.password-set"
    details = {"sessions_ended": int(getattr(ended, "rowcount", 0) or 0)}
    _audit(session, principal, user, action, details, settings)
    session.commit()


def _load(session: Session, user_id: uuid.UUID, *, for_update: bool = False) -> User:
    user = session.get(User, user_id, with_for_update=for_update, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    return user


def _audit(
    session: Session,
    actor: Principal,
    user: User,
    action: str,
    details: dict[str, Any],
    settings: Settings,
) -> None:
    # Profile values (passenger name, ID digits) and addresses stay out: the log lives 30 years.
    record_account_event(
        session,
        actor=actor.user,
        user_id=user.id,
        action=action,
        details={"username": user.username, **details},
        key=audit_key(settings),
    )
