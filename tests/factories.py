"""Typed factories for test data: entities, users with profiles, and bearer headers."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from functools import lru_cache

from sqlmodel import Session

from app.auth.models import EmployeeProfile, User, UserEntity
from app.auth.passwords import hash_password
from app.auth.tokens import mint_token
from app.entities.models import LegalEntity
from app.kit.dates import business_today
from app.kit.uscc import uscc_check_char
from railclaim_devkit.synthetic import InvoiceSpec, random_spec

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # argon2 is deliberately slow; one hash serves every factory-made user.
    return hash_password(PASSWORD)


def _end_read_snapshot(session: Session) -> None:
    # On SQLite a transaction that has read cannot start writing once the app has committed since
    # (SQLITE_BUSY_SNAPSHOT); ending it first lets factories run after inspections.
    session.commit()


def make_uscc(n: int | None = None) -> str:
    body = f"91110000MA{(n or next(_counter)):07d}"
    return body + uscc_check_char(body)


def make_entity(
    session: Session, *, name: str | None = None, taxpayer_type: str = "general"
) -> LegalEntity:
    _end_read_snapshot(session)
    n = next(_counter)
    entity = LegalEntity(
        name=name or f"测试公司{n}有限公司",
        uscc=make_uscc(n),
        taxpayer_type=taxpayer_type,
        fonds_code=f"Z{n:03d}",
    )
    session.add(entity)
    session.commit()
    return entity


def make_user(
    session: Session,
    *roles: str,
    entity: LegalEntity | None = None,
    username: str | None = None,
    passenger_name: str | None = None,
    id_last4: str | None = None,
    manager: User | None = None,
    employment_type: str = "contract",
    grade: int | None = None,
    is_service: bool = False,
) -> User:
    _end_read_snapshot(session)
    user = User(
        username=username or f"user{next(_counter)}",
        display_name="Test User",
        password_hash=None if is_service else _password_hash(),
        roles=list(roles) or ["employee"],
        is_service=is_service,
    )
    session.add(user)
    session.flush()
    if entity is not None:
        session.add(UserEntity(user_id=user.id, entity_id=entity.id))
    if passenger_name or manager or id_last4:
        session.add(
            EmployeeProfile(
                user_id=user.id,
                passenger_name=passenger_name,
                id_last4=id_last4,
                manager_id=manager.id if manager else None,
                employment_type=employment_type,
                grade=grade,
            )
        )
    session.commit()
    return user


def bearer(session: Session, user: User) -> dict[str, str]:
    """Authorization header with a fresh session token for `user`."""
    _end_read_snapshot(session)
    _row, plaintext = mint_token(
        session, user=user, kind="session", name="test", lifetime=dt.timedelta(hours=1)
    )
    session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def random_id() -> str:
    return str(uuid.uuid4())


def invoice_spec(
    entity: LegalEntity,
    *,
    seed: int | None = None,
    passenger: User | None = None,
    session: Session | None = None,
    **overrides: object,
) -> InvoiceSpec:
    """A sale (by default) bought by `entity`, for `passenger`'s profile when given."""
    rng = random.Random(seed if seed is not None else next(_counter) * 7919)
    fields: dict[str, object] = {
        "buyer_name": entity.name,
        "buyer_tax_id": entity.uscc,
        "business_type": "sale",
    }
    if passenger is not None and session is not None:
        profile = session.get(EmployeeProfile, passenger.id)
        assert profile is not None
        assert profile.passenger_name
        assert profile.id_last4
        fields["passenger_name"] = profile.passenger_name
        fields["passenger_id_masked"] = f"1101011990****{profile.id_last4}"
    fields.update(overrides)
    state = rng.getstate()
    spec = random_spec(rng, **fields)
    if "issue_date" not in overrides and spec.issue_date > business_today():
        # The generator draws issue dates up to 180 days after travel; one after today is the
        # `issued-in-future` finding, which a test must ask for, not stumble on.
        rng.setstate(state)
        spec = random_spec(rng, **fields, issue_date=max(spec.travel_date, business_today()))
    return spec


def make_employee(
    session: Session,
    entity: LegalEntity,
    *,
    name: str = "张三",
    last4: str = "1234",
    manager: User | None = None,
    **kwargs: object,
) -> User:
    return make_user(
        session,
        "employee",
        entity=entity,
        passenger_name=name,
        id_last4=last4,
        manager=manager,
        **kwargs,  # type: ignore[arg-type]
    )
