"""Races: the same invoice added to two claims at once is taken by exactly one (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from app.auth.models import EmployeeProfile, User
from app.auth.principal import Principal
from app.auth.tokens import mint_token
from app.claims import service
from app.claims.errors import ItemAlreadyClaimed
from app.claims.models import ClaimItem
from app.claims.schemas import ItemRef
from app.config import Settings
from app.db import make_engine
from tests.claims_support import clean_invoice, draft, make_org

ROUNDS = 4


def _actor(session: Session, user: User, entity_id: uuid.UUID) -> service.Actor:
    token, _plaintext = mint_token(
        session, user=user, kind="session", name="race", lifetime=dt.timedelta(hours=1)
    )
    session.commit()
    profile = session.get(EmployeeProfile, user.id)
    principal = Principal(
        user=user, token=token, entity_ids=frozenset({entity_id}), profile=profile
    )
    return service.Actor(principal=principal, audit_key=b"test-audit-key")


def _add(
    settings: Settings,
    actor: service.Actor,
    claim_id: str,
    invoice_id: str,
    barrier: threading.Barrier,
    outcomes: list[str],
) -> None:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait(timeout=30)
            try:
                service.add_item(
                    session, actor, uuid.UUID(claim_id), ItemRef(invoice_id=uuid.UUID(invoice_id))
                )
                outcomes.append("added")
            except ItemAlreadyClaimed:
                outcomes.append("already-claimed")
    finally:
        engine.dispose()


def test_one_invoice_two_claims_at_once(client: TestClient, session: Session, settings: Settings):
    if settings.is_sqlite:
        pytest.skip("SQLite serializes writers (BEGIN IMMEDIATE), so two claims cannot race")
    org = make_org(session)
    actor = _actor(session, org.employee, org.entity.id)
    for _ in range(ROUNDS):
        invoice_id = clean_invoice(client, session, org)
        claims = [draft(client, org)["id"], draft(client, org)["id"]]
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [
            threading.Thread(
                target=_add, args=(settings, actor, claim_id, invoice_id, barrier, outcomes)
            )
            for claim_id in claims
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert Counter(outcomes) == Counter({"added": 1, "already-claimed": 1})
        session.commit()
        held = session.exec(
            select(func.count())
            .select_from(ClaimItem)
            .where(col(ClaimItem.invoice_id) == uuid.UUID(invoice_id))
        ).one()
        assert held == 1
