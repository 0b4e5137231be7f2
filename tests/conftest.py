"""Shared fixtures: per-test databases on SQLite and PostgreSQL, the app, a client and a session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests import databases
from tests.air_support import AirFiles

if TYPE_CHECKING:
    from tests.seaweed import Seaweed

ENGINES = ["sqlite", "postgresql"]

pytest_plugins = ["tests.webhook_fixtures"]

# CI replays the same examples on every run (a red build is then always reproducible, never a
# fresh random find); locally Hypothesis keeps exploring. No per-example deadline anywhere: the
# machines are shared and timing is the benchmarks' job.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
os.environ.setdefault("RAILCLAIM_ENVIRONMENT", "test")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    databases.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = databases.unique_name("rc_tpl")
    url = databases.create_pg_database(name)
    databases.migrate(url)
    yield name
    databases.drop_pg_database(name)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    """One SeaweedFS per test process (each xdist worker its own), started on first use."""
    from tests.seaweed import start_seaweed, stop_seaweed

    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    yield server
    stop_seaweed(server)


@pytest.fixture(params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        yield databases.clone_sqlite(sqlite_template, tmp_path / "test.db")
        return
    template = request.getfixturevalue("pg_template")
    name = databases.unique_name("rc_t")
    url = databases.create_pg_database(name, template=template)
    yield url
    databases.drop_pg_database(name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        storage_dir=tmp_path / "storage",
        environment="test",
        log_json=False,
        max_upload_mb=2,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()
    application.state.read_engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    """A session for arranging and inspecting; deferred on SQLite so it never blocks the app."""
    engine = make_engine(settings.database_url, sqlite_immediate=False)
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session
    engine.dispose()


@pytest.fixture
def air_files() -> AirFiles:
    """Real air itinerary files of the generator, for upload (see tests.air_support)."""
    return AirFiles()
