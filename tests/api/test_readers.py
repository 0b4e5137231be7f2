"""Lookups that only read (token, upload checks) run outside any transaction, each statement on
its own snapshot, and write nothing: on SQLite they take no write lock, on PostgreSQL they cost
no BEGIN and COMMIT round trips. The upload's writes stay in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from app.auth.models import ApiToken
from app.db import WriteInReader, begin_read
from app.entities.models import LegalEntity
from railclaim_devkit.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity

ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


# What a statement outside BEGIN ... COMMIT is part of: SQLite's autocommit, one per statement.
AUTOCOMMIT = "autocommit"


@dataclass
class Transaction:
    begin: str
    statements: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if s.split()[0] in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture
def transactions(app: FastAPI) -> Iterator[list[Transaction]]:
    """Every transaction the app's engine runs, how it began and its statements; statements run
    outside one are gathered, in order, into AUTOCOMMIT entries."""
    seen: list[Transaction] = []
    open_: list[Transaction] = []

    def record(_conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        words = statement.split()
        if words[0] == "BEGIN":
            open_[:] = [Transaction(" ".join(words))]
            seen.append(open_[0])
        elif words[0] not in {"SAVEPOINT", "RELEASE"}:
            if not open_ and (not seen or seen[-1].begin != AUTOCOMMIT):
                seen.append(Transaction(AUTOCOMMIT))
            (open_[0] if open_ else seen[-1]).statements.append(statement)

    def end(_conn: Connection) -> None:
        open_.clear()

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
    event.remove(engine, "commit", end)
    event.remove(engine, "rollback", end)


def _employee_with_a_stamped_token(
    client: TestClient, session: Session
) -> tuple[dict[str, str], bytes]:
    """An employee's bearer header, its token's last use already stamped (the first request
    writes that stamp, in a write of its own), and a PDF invoice of theirs to upload."""
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    return headers, render_pdf(spec)


@ON_SQLITE
def test_an_upload_takes_the_write_lock_once(
    client: TestClient, session: Session, transactions: list[Transaction]
):
    headers, pdf = _employee_with_a_stamped_token(client, session)
    transactions.clear()

    response = client.post("/api/v1/invoices", files={"file": ("a.pdf", pdf)}, headers=headers)

    assert response.status_code == 201, response.text
    # The token lookup and the upload's checks read outside any transaction; one writer follows.
    begins = [t.begin for t in transactions]
    assert begins == [AUTOCOMMIT, "BEGIN IMMEDIATE"], begins
    reads = transactions[0].statements
    assert any("FROM api_token" in s for s in reads), reads
    assert any("FROM invoice_file" in s for s in reads), reads
    assert transactions[0].writes == []
    assert any(s.startswith("INSERT INTO invoice ") for s in transactions[1].writes)


@ON_SQLITE
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
    assert all(not t.writes for t in transactions if t.begin == AUTOCOMMIT)
    session.expire_all()
    stamped = session.get_one(ApiToken, token.id).last_used_at
    assert stamped is not None
    assert dt.datetime.now(dt.UTC) - stamped < dt.timedelta(minutes=1)


@pytest.fixture
def statements(app: FastAPI) -> Iterator[list[tuple[str, bool]]]:
    """Every statement the app's engine runs, with whether its connection was in autocommit."""
    seen: list[tuple[str, bool]] = []

    def record(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        seen.append((statement, bool(conn.connection.dbapi_connection.autocommit)))

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@ON_POSTGRESQL
def test_an_upload_reads_in_autocommit_and_writes_in_one_transaction(
    client: TestClient, session: Session, statements: list[tuple[str, bool]]
):
    headers, pdf = _employee_with_a_stamped_token(client, session)
    statements.clear()

    response = client.post("/api/v1/invoices", files={"file": ("a.pdf", pdf)}, headers=headers)

    assert response.status_code == 201, response.text
    autocommit = [s for s, auto in statements if auto]
    in_transaction = [s for s, auto in statements if not auto]
    assert any("FROM api_token" in s for s in autocommit), autocommit
    assert any("FROM invoice_file" in s for s in autocommit), autocommit
    assert all(s.lstrip().startswith("SELECT") for s in autocommit), autocommit
    assert any(s.startswith("INSERT INTO invoice ") for s in in_transaction), in_transaction
    assert any(s.startswith("INSERT INTO audit_event ") for s in in_transaction), in_transaction


def test_a_reader_refuses_a_write_which_autocommit_would_apply_at_once(
    app: FastAPI, session: Session
):
    entity = make_entity(session)
    with Session(app.state.engine) as reader:
        begin_read(reader)
        with pytest.raises(WriteInReader):
            reader.execute(
                text("UPDATE legal_entity SET name = 'renamed' WHERE id = :id"), {"id": entity.id}
            )
        reader.rollback()

        # An object added after begin_read would be flushed by the next query: refused too.
        begin_read(reader)
        reader.add(
            LegalEntity(name="不该存在的公司", uscc="91310000MA1NOTHERE", taxpayer_type="general")
        )
        with pytest.raises(WriteInReader):
            reader.exec(select(LegalEntity)).all()
        reader.rollback()

        # The session's next transaction writes as any other: the reader mark does not linger.
        reader.add(reader.get_one(LegalEntity, entity.id))
        reader.get_one(LegalEntity, entity.id).fonds_code = "Z999"
        reader.commit()

    session.expire_all()
    names = session.exec(select(LegalEntity.name)).all()
    assert names == [entity.name]
    assert session.get_one(LegalEntity, entity.id).fonds_code == "Z999"
