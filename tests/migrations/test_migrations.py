"""Migrations: one linear history, no drift between models and schema, and a working downgrade."""

from __future__ import annotations

import re

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
from app.migrate import alembic_config, include_object
from railclaim_devkit.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity


def test_history_is_linear_with_dated_file_names():
    scripts = ScriptDirectory.from_config(alembic_config())
    heads = scripts.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    revisions = list(scripts.walk_revisions())
    bases = [r for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple), "merge revisions are not allowed"
        name = revision.path.rsplit("/", 1)[-1]
        assert re.match(r"^\d{4}-\d{2}-\d{2}-\d{4}_\w+\.py$", name), f"{name} is not dated"


def test_models_and_migrations_do_not_drift(database_url: str):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": include_object,
            },
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations: {diff}"


def test_alembic_check_passes(database_url: str):
    command.check(alembic_config(database_url))


def test_downgrade_to_base_and_back(database_url: str):
    engine = create_engine(database_url)
    tables = set(SQLModel.metadata.tables)
    command.downgrade(alembic_config(database_url), "base")
    remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    command.upgrade(alembic_config(database_url), "head")
    assert tables <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize("step", ["-1"])
def test_each_step_down_and_up(database_url: str, step: str):
    config = alembic_config(database_url)
    scripts = ScriptDirectory.from_config(config)
    for _ in list(scripts.walk_revisions()):
        command.downgrade(config, step)
    command.upgrade(config, "head")
    engine = create_engine(database_url)
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


SEARCH_TEXT_REVISION_PARENT = "7d2e9b41c6a8"  # the revision before 2026-11-27-2245_search_text


def test_the_search_column_comes_and_goes_with_invoices_stored(
    client: TestClient, session: Session, database_url: str
):
    # Dropping a column must not rebuild the table: with foreign keys on, SQLite would refuse
    # to drop an `invoice` that files and holds point at.
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    spec = invoice_spec(entity, passenger=employee, session=session, train_number="G1234")
    files = {"file": ("a.pdf", render_pdf(spec))}
    assert client.post("/api/v1/invoices", files=files, headers=headers).status_code == 201
    session.close()
    config = alembic_config(database_url)

    command.downgrade(config, SEARCH_TEXT_REVISION_PARENT)
    engine = create_engine(database_url)
    assert "search_text" not in {c["name"] for c in inspect(engine).get_columns("invoice")}
    engine.dispose()
    command.upgrade(config, "head")

    found = client.get("/api/v1/invoices", params={"q": "g12"}, headers=headers).json()
    assert [i["invoice_number"] for i in found["items"]] == [spec.invoice_number]
