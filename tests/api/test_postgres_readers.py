"""On PostgreSQL, lookups that only read (token, upload checks) run in autocommit: no BEGIN and
no COMMIT round trip around them; the upload's writes stay in one transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session

from railclaim_devkit.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


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


def test_an_upload_reads_in_autocommit_and_writes_in_one_transaction(
    client: TestClient, session: Session, statements: list[tuple[str, bool]]
):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session)
    # The first request stamps the token's last use, in a write of its own.
    assert client.get("/api/v1/users/me", headers=headers).status_code == 200
    statements.clear()

    response = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", render_pdf(spec))}, headers=headers
    )

    assert response.status_code == 201, response.text
    autocommit = [s for s, auto in statements if auto]
    in_transaction = [s for s, auto in statements if not auto]
    assert any("FROM api_token" in s for s in autocommit), autocommit
    assert any("FROM invoice_file" in s for s in autocommit), autocommit
    assert all(s.lstrip().startswith("SELECT") for s in autocommit), autocommit
    assert any(s.startswith("INSERT INTO invoice ") for s in in_transaction), in_transaction
    assert any(s.startswith("INSERT INTO audit_event ") for s in in_transaction), in_transaction
