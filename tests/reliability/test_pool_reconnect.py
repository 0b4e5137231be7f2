"""PostgreSQL connections that died while idle in the pool (a server restart, a dropped link) are
found by a ping and replaced before a request uses them; one handed back a moment ago is used
without a ping."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import db
from tests.databases import PG_ADMIN_URL, create_pg_database, drop_pg_database, unique_name


@pytest.fixture
def pg_engine() -> Iterator[tuple[Engine, str]]:
    name = unique_name("rc_pool")
    engine = db.make_engine(create_pg_database(name))
    try:
        yield engine, name
    finally:
        engine.dispose()
        drop_pg_database(name)


def _terminate_backends(database: str) -> int:
    """Ends every server process of `database`, as a restart would; how many there were."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        ).fetchall()
    return len(rows)


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_that_died_idle_is_replaced(
    pg_engine: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, name = pg_engine
    first = _backend_pid(engine)
    assert _terminate_backends(name) == 1
    # Every connection handed back counts as idle: the next checkout pings, without a wait.
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)

    second = _backend_pid(engine)

    assert second != first  # the dead one was found by the ping and a fresh one connected


def test_a_connection_handed_back_a_moment_ago_is_not_pinged(
    pg_engine: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _name = pg_engine
    _backend_pid(engine)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    pings: list[object] = []

    def counted_ping(connection: object) -> bool:
        pings.append(connection)
        return True

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)

    _backend_pid(engine)

    assert pings == []
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    _backend_pid(engine)
    assert len(pings) == 1
