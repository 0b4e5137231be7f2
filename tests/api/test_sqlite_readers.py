"""On SQLite, lookups that only read (token, upload checks) take no write lock and write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from app.auth.models import ApiToken
from railclaim_devkit.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@dataclass
class Transaction:
    begin: str
    statements: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if s.split()[0] in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture
def transactions(app: FastAPI) -> Iterator[list[Transaction]]:
    """Every transaction the app's engine runs: how it began, and its statements."""
    seen: list[Transaction] = []

    def record(_conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        words = statement.split()
        if words[0] == "BEGIN":
            seen.append(Transaction(" ".join(words)))
        elif seen and words[0] not in {"COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}:
            seen[-1].statements.append(statement)

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_an_upload_takes_the_write_lock_once(
    client: TestClient, session: Session, transactions: list[Transaction]
):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    # The first request stamps the token's last use, in a write of its own.
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    transactions.clear()

    response = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", render_pdf(spec))}, headers=headers
    )

    assert response.status_code == 201, response.text
    begins = [t.begin for t in transactions]
    assert begins == ["BEGIN", "BEGIN", "BEGIN IMMEDIATE"], begins
    for reader in transactions[:2]:
        assert reader.statements, "a reader that ran nothing"
        assert reader.writes == []
    assert any(s.startswith("INSERT INTO invoice ") for s in transactions[2].writes)


def test_a_stale_token_stamp_is_written_in_a_write_transaction(
    client: TestClient, session: Session, transactions: list[Transaction]
):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    token = session.exec(select(ApiToken).where(ApiToken.user_id == employee.id)).one()
    token.last_used_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    session.add(token)
    session.commit()
    transactions.clear()

    assert client.get("/api/v1/users/me", headers=headers).status_code == 200

    stamp = [t for t in transactions if t.writes]
    assert [t.begin for t in stamp] == ["BEGIN IMMEDIATE"]
    assert all(w.startswith("UPDATE api_token") for w in stamp[0].writes)
    assert all(not t.writes for t in transactions if t.begin == "BEGIN")
    session.expire_all()
    stamped = session.get_one(ApiToken, token.id).last_used_at
    assert stamped is not None
    assert dt.datetime.now(dt.UTC) - stamped < dt.timedelta(minutes=1)
