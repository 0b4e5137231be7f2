"""Storage garbage collection: unreferenced old files go, referenced or young files stay.

Runs on both file stores (the local folder and SeaweedFS), each on both database engines.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.config import Settings
from app.db import utcnow
from app.storage.gc import collect_garbage
from railclaim_devkit.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity
from tests.storage.backends import BACKENDS, backend_settings


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    return backend_settings(request, settings)


def test_gc_removes_only_old_unreferenced_files(app: FastAPI, client: TestClient, session: Session):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    created = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", pdf)}, headers=bearer(session, employee)
    )
    assert created.status_code == 201
    store = app.state.store
    orphan = store.put(b"bytes of an upload whose row never committed")
    later = utcnow() + dt.timedelta(hours=2)

    young = collect_garbage(session, store, dry_run=True, now=utcnow())
    assert young.unreferenced == []
    assert orphan in young.too_recent

    listed = collect_garbage(session, store, dry_run=True, now=later)
    assert listed.unreferenced == [orphan]
    assert listed.removed == []
    assert store.exists(orphan)

    removed = collect_garbage(session, store, dry_run=False, now=later)
    assert removed.removed == [orphan]
    assert not store.exists(orphan)
    assert store.exists(created.json()["sha256"])
    assert (
        client.get(
            f"/api/v1/invoices/{created.json()['id']}/files/pdf", headers=bearer(session, employee)
        ).content
        == pdf
    )


# Hashes that name no stored file: a login throttle's user name, an API token.
NOT_FILES = {("login_throttle", "name_sha256"), ("api_token", "token_sha256")}


def test_every_column_naming_a_stored_file_keeps_it_from_gc():
    from sqlmodel import SQLModel

    import app.models  # noqa: F401  (every table registered)
    from app.storage.gc import REFERENCE_COLUMNS

    hash_columns = {
        (table.name, column.name)
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if column.name.endswith("sha256")
    }
    assert hash_columns - NOT_FILES == set(REFERENCE_COLUMNS)


def test_a_file_named_by_its_invoice_stays_when_its_file_row_is_lost(
    app: FastAPI, client: TestClient, session: Session
):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    created = client.post(
        "/api/v1/invoices", files={"file": ("a.pdf", pdf)}, headers=bearer(session, employee)
    )
    assert created.status_code == 201, created.text
    session.execute(text("DELETE FROM invoice_file"))
    session.commit()

    report = collect_garbage(
        session, app.state.store, dry_run=False, now=utcnow() + dt.timedelta(hours=2)
    )

    assert created.json()["sha256"] not in report.removed
    assert app.state.store.exists(created.json()["sha256"])
