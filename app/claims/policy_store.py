"""Per-entity claim policy: reading it (defaults when unset) and replacing it (admins)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, fields

from sqlmodel import Session, col, select

from app.audit.service import AuditedObject, EventRecorder
from app.auth.models import User, UserEntity
from app.auth.principal import Principal
from app.claims.models import ClaimPolicy
from app.claims.policy import DEFAULT_POLICY, PolicySettings
from app.claims.schemas import CabinClassesOut, ClaimPolicyIn, ClaimPolicyOut
from app.db import insert_ignore, utcnow
from app.entities.models import LegalEntity
from app.entities.settings import settings_by_entity
from app.invoices.cabins import CabinLetters, load_cabin_letters, store_cabin_letters
from app.problems import NotFound, ValidationProblem


def load_policies(
    session: Session, entity_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, PolicySettings]:
    return settings_by_entity(session, ClaimPolicy, entity_ids, _settings, DEFAULT_POLICY)


def load_policy(session: Session, entity_id: uuid.UUID) -> PolicySettings:
    return load_policies(session, [entity_id])[entity_id]


def read_policy(session: Session, principal: Principal, entity_id: uuid.UUID) -> ClaimPolicyOut:
    _require_entity(session, principal, entity_id)
    row = session.get(ClaimPolicy, entity_id)
    cabins = load_cabin_letters(session, [entity_id])[entity_id]
    if row is None:
        return _out(entity_id, DEFAULT_POLICY, None, cabins)
    return _out(entity_id, _settings(row), row, cabins)


def replace_policy(
    session: Session,
    principal: Principal,
    entity_id: uuid.UUID,
    data: ClaimPolicyIn,
    *,
    audit_key: bytes,
) -> ClaimPolicyOut:
    """Admins set the whole policy; fields left out go back to their defaults."""
    _require_entity(session, principal, entity_id)
    if data.fallback_approver_id is not None:
        _require_member(session, entity_id, data.fallback_approver_id)
    # Race-safe upsert: create the row if absent, then lock and overwrite it.
    insert_ignore(session, ClaimPolicy, {"entity_id": entity_id})
    row = session.get(ClaimPolicy, entity_id, with_for_update=True, populate_existing=True)
    assert row is not None
    for field, value in data.model_dump(exclude={"cabin_classes"}).items():
        setattr(row, field, value)
    row.updated_by_id = principal.id
    row.updated_at = utcnow()
    session.add(row)
    cabins = CabinLetters(**data.cabin_classes.model_dump())
    store_cabin_letters(session, entity_id, cabins)
    _audit(session, principal, entity_id, data, audit_key)
    session.commit()
    return _out(entity_id, _settings(row), row, cabins)


def _audit(
    session: Session, principal: Principal, entity_id: uuid.UUID, data: ClaimPolicyIn, key: bytes
) -> None:
    EventRecorder(principal.user, key).record(
        session,
        "claim-policy.updated",
        AuditedObject("claim_policy", entity_id, entity_id),
        details=data.model_dump(mode="json"),
    )


def _require_entity(session: Session, principal: Principal, entity_id: uuid.UUID) -> None:
    known = session.get(LegalEntity, entity_id) is not None
    if not known or not (principal.is_admin or entity_id in principal.entity_ids):
        raise NotFound("No such legal entity.")


def _require_member(session: Session, entity_id: uuid.UUID, user_id: uuid.UUID) -> None:
    member = session.exec(
        select(User.id)
        .join(UserEntity, col(UserEntity.user_id) == col(User.id))
        .where(User.id == user_id, UserEntity.entity_id == entity_id, col(User.is_active))
    ).first()
    if member is None:
        raise ValidationProblem("fallback_approver_id", "no active user of this entity has this id")


def _settings(row: ClaimPolicy) -> PolicySettings:
    """Each field of `PolicySettings` read off the row's column of the same name."""
    return PolicySettings(
        **{field.name: getattr(row, field.name) for field in fields(PolicySettings)}
    )


def _out(
    entity_id: uuid.UUID,
    policy: PolicySettings,
    row: ClaimPolicy | None,
    cabins: CabinLetters,
) -> ClaimPolicyOut:
    return ClaimPolicyOut(
        entity=entity_id,
        **asdict(policy),
        cabin_classes=CabinClassesOut(
            economy=cabins.economy, business=cabins.business, first=cabins.first
        ),
        updated_at=row.updated_at if row else None,
    )
