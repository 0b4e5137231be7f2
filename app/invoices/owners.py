"""Whose invoice it is: the buyer must be one of the uploader's entities; the owner follows."""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.auth.models import EmployeeProfile, Role, User, UserEntity
from app.auth.principal import Principal
from app.entities.models import LegalEntity
from app.invoices.errors import BuyerMismatch
from app.invoices.parsing import ParsedInvoice
from app.problems import Forbidden, ValidationProblem

# Built once: uploads whose principal does not carry its entities (admins' other entities,
# CLI and demo runs) run it.
_ENTITY_BY_USCC = select(LegalEntity.id, LegalEntity.name).where(
    col(LegalEntity.uscc) == bindparam("uscc")
)


def _normalized(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def match_buyer(session: Session, principal: Principal, parsed: ParsedInvoice) -> uuid.UUID:
    """The id of the legal entity the invoice names, if it is one the uploader works for
    (admins: any). The uploader's own entities came with the token: no query for them."""
    if not parsed.buyer_tax_id:
        raise BuyerMismatch(
            "The invoice names a person, not a company (no 统一社会信用代码): "
            "ask 12306 to re-issue it to your company's title.",
            buyer_name=parsed.buyer_name,
        )
    entity = _entity_of(session, principal, parsed.buyer_tax_id.upper())
    if entity is None:
        raise BuyerMismatch(
            f"No legal entity of yours has the 统一社会信用代码 {parsed.buyer_tax_id}.",
            buyer_tax_id=parsed.buyer_tax_id,
        )
    entity_id, name = entity
    if parsed.buyer_name and _normalized(parsed.buyer_name) != _normalized(name):
        raise BuyerMismatch(
            f"The buyer name {parsed.buyer_name!r} differs from the entity's name {name!r}.",
            buyer_tax_id=parsed.buyer_tax_id,
        )
    return entity_id


def _entity_of(session: Session, principal: Principal, uscc: str) -> tuple[uuid.UUID, str] | None:
    """(id, name) of the entity with this USCC that the uploader may file for, if any."""
    known = principal.entities_by_uscc
    if known is not None and (uscc in known or not principal.is_admin):
        return known.get(uscc)
    row = session.execute(_ENTITY_BY_USCC, {"uscc": uscc}).first()
    if row is None or not (principal.is_admin or row.id in principal.entity_ids):
        return None
    return row.id, row.name


def uploads_for_others(principal: Principal) -> bool:
    """Finance, admins and system tokens file invoices on behalf of employees."""
    return principal.user.is_service or principal.has_role(Role.FINANCE, Role.ADMIN)


def resolve_owner(
    session: Session,
    principal: Principal,
    entity_id: uuid.UUID,
    parsed: ParsedInvoice,
    owner_hint: uuid.UUID | None,
) -> uuid.UUID | None:
    if not uploads_for_others(principal):
        if owner_hint is not None and owner_hint != principal.id:
            raise Forbidden("Employees upload their own invoices; finance may set an owner.")
        return principal.id
    if owner_hint is not None:
        return entity_member(session, entity_id, owner_hint)
    return passenger_employee(session, entity_id, parsed.passenger_name, parsed.passenger_id_masked)


def entity_member(session: Session, entity_id: uuid.UUID, owner: uuid.UUID) -> uuid.UUID:
    """`owner`, if an active user of the document's entity: the owner of an invoice or paper
    voucher sees it, so finance may name no one outside the entity (nor a deactivated user)."""
    found = session.exec(
        select(User.id)
        .join(UserEntity, col(UserEntity.user_id) == col(User.id))
        .where(User.id == owner, UserEntity.entity_id == entity_id, col(User.is_active).is_(True))
    ).first()
    if found is None:
        raise ValidationProblem("owner", "no active user of the document's entity has this id")
    return owner


def passenger_employee(
    session: Session, entity_id: uuid.UUID, name: str | None, id_masked: str | None
) -> uuid.UUID | None:
    """The one active employee of the entity whose profile matches name and ID last 4."""
    if not name or not id_masked:
        return None
    matches = session.exec(
        employees_named(entity_id, name, id_masked)
        .join(User, col(User.id) == col(EmployeeProfile.user_id))
        .where(col(User.is_active).is_(True))
    ).all()
    return matches[0] if len(matches) == 1 else None


def employees_named(entity_id: uuid.UUID, name: str, id_masked: str) -> SelectOfScalar[uuid.UUID]:
    """The entity's people whose profile carries a ticket's passenger name and ID last 4."""
    return (
        select(EmployeeProfile.user_id)
        .join(UserEntity, col(UserEntity.user_id) == col(EmployeeProfile.user_id))
        .where(
            EmployeeProfile.passenger_name == name,
            EmployeeProfile.id_last4 == id_masked[-4:].upper(),
            UserEntity.entity_id == entity_id,
        )
    )
