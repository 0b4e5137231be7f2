"""Test databases built by running the migrations: a template per engine, cloned per test."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import create_engine

from app.migrate import alembic_config

PG_ADMIN_URL = os.environ.get(
    "RAILCLAIM_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test"
)


def pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def migrate(url: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), "head")
    engine.dispose()


def create_pg_database(name: str, template: str | None = None) -> str:
    clause = f" TEMPLATE {template}" if template else ""
    _pg_admin(f"CREATE DATABASE {name}{clause}")
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def clone_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
