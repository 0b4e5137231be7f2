"""Database engine, metadata naming convention, column types, the request session dependency,
readers (autocommit, writes refused) and SQLite's writers (queued, immediate)."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import Insert, bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool

from app.sqlite_writers import QueuedConnection, writer_queue

# Set before the first model is declared so every constraint gets a stable, migratable name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every engine (SQLite keeps no offset, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timestamps with their offset")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, _dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and starts transactions lazily;
    # SQLAlchemy's recipe turns it off and emits BEGIN itself (see _begin_sqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Writers queue on SQLite's lock; under a burst the tail waits seconds, so wait long.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# The execution option that marks a transaction as reading only (see `begin_read`).
_READS_ONLY = "railclaim_reads_only"
_READER_OPTIONS: dict[str, dict[str, Any]] = {
    "sqlite": {_READS_ONLY: True},
    # Each statement of a READ COMMITTED transaction reads its own snapshot anyway, so a reader
    # loses nothing in autocommit; it saves the BEGIN and COMMIT round trips.
    "postgresql": {_READS_ONLY: True, "isolation_level": "AUTOCOMMIT"},
}


class WriteInReader(RuntimeError):
    """A statement other than a SELECT ran in a reader (see `begin_read`): a bug, not bad input."""


def _refuse_writes_in_readers(
    connection: Connection, _cursor: Any, statement: str, *_args: Any
) -> None:
    """Statements of a reader run in autocommit: a write there would be applied at once, outside
    any transaction and (on SQLite) past the writers' queue, and no rollback could undo it."""
    if connection.get_execution_options().get(_READS_ONLY) and not _is_select(statement):
        raise WriteInReader(f"a reader may only SELECT; refused: {statement[:60]!r}")


def _is_select(statement: str) -> bool:
    # WITH is left out on purpose: PostgreSQL's WITH may hold an INSERT, UPDATE or DELETE.
    return statement.lstrip()[:6].upper() == "SELECT"


def begin_read(session: Session) -> None:
    """Starts the session's next transaction as a reader: it takes no write lock on SQLite, and
    its statements run in autocommit on both engines, each reading its own snapshot (what
    PostgreSQL's READ COMMITTED gives each statement anyway), without a BEGIN or a COMMIT.

    In WAL mode readers never wait for writers, so a lookup that only reads (a token, an
    upload's refusal checks) need not queue behind every write of the other requests. Only for
    work that writes nothing (any statement but a SELECT raises WriteInReader), and whose reads
    need no common snapshot. No effect if the session is already in a transaction.
    """
    if session.new or session.dirty or session.deleted:
        # The first query would flush them, writing inside the reader.
        raise WriteInReader("begin_read with unflushed changes in the session")
    if not session.in_transaction():
        dialect = session.get_bind().dialect.name
        session.connection(execution_options=_READER_OPTIONS[dialect])


def _begin_sqlite(connection: Connection) -> None:
    if connection.get_execution_options().get(_READS_ONLY):
        # A reader (see begin_read) sends no BEGIN: each statement runs in a transaction of its
        # own, takes no write lock and reads its own WAL snapshot, as on PostgreSQL.
        return
    # A writer takes the write lock up front: a deferred transaction that reads and then writes
    # fails at once with "database is locked" when another writer got there first, instead of
    # waiting. Queue first (see app.sqlite_writers); the connection leaves the queue at
    # commit/rollback.
    dbapi_connection = connection.connection.dbapi_connection
    queued = dbapi_connection if isinstance(dbapi_connection, QueuedConnection) else None
    if queued is not None:
        queued.enter_queue()
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if queued is not None:
            queued.leave_queue()
        raise


def _begin_deferred(connection: Connection) -> None:
    if not connection.get_execution_options().get(_READS_ONLY):  # a reader sends no BEGIN
        connection.exec_driver_sql("BEGIN")


def make_engine(database_url: str, *, sqlite_immediate: bool = True) -> Engine:
    """One engine per process; SQLite gets WAL, foreign keys and a busy timeout.

    `sqlite_immediate=False` gives deferred transactions, for readers that must not hold the
    write lock (long exports, test inspection).
    """
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
        if sqlite_immediate and path and path != ":memory:":
            connect_args["factory"] = QueuedConnection
        engine = create_engine(database_url, connect_args=connect_args)
        event.listen(engine, "connect", _configure_sqlite)
        if "factory" in connect_args:
            # Looked up per connection, so a connection made after a fork gets its own queue.
            event.listen(
                engine, "connect", lambda conn, _record: setattr(conn, "queue", writer_queue(path))
            )
        event.listen(engine, "begin", _begin_sqlite if sqlite_immediate else _begin_deferred)
    else:
        engine = create_engine(database_url, pool_size=10, max_overflow=20)
        _ping_when_idle(engine)
    event.listen(engine, "before_cursor_execute", _refuse_writes_in_readers)
    return engine


# A pooled connection handed back longer ago than this is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "railclaim_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, for connections that sat idle in the pool.

    A server restart or a dropped connection shows on connections that waited in the pool;
    one handed back a moment ago by another request was alive then. Under load this saves a
    round trip per checkout (three per upload), and a restart in that moment fails only what
    was in flight anyway. A dead connection is replaced by the pool before anyone uses it.
    """

    def stamp(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return  # new (it has just connected), or handed back a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool discards the connection and checks out another (a fresh one if need be).
            raise DisconnectionError(str(exc)) from exc

    event.listen(engine, "checkin", stamp)
    event.listen(engine, "checkout", ping)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session. Async, as a sync dependency costs a hop to the thread pool and
    back per request (about 0.1 ms of CPU each way on the bench machine): a session connects
    only at its first statement, so opening it does no I/O. Closing one that still holds a
    connection rolls back over the network, so that runs in the pool, shielded from the
    request's cancellation so that the connection always goes back."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


async def open_read_session(request: Request) -> Session:
    """A session on the read engine, which never queues behind the writers on SQLite; the handler
    closes it (a streamed body opens its own through kit.streaming.streamed_download)."""
    return Session(request.app.state.read_engine)


ReadSessionDep = Annotated[Session, Depends(open_read_session)]


def insert_ignore(session: Session, model: type[SQLModel], values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: a race-safe "create if absent" on both engines.

    True when this call inserted the row, False when one was there (or a racing insert won)."""
    statement = _insert_ignoring(session.get_bind().dialect.name, model, tuple(values))
    return session.execute(statement, values).first() is not None


@functools.cache
def _insert_ignoring(dialect: str, model: type[SQLModel], columns: tuple[str, ...]) -> Insert:
    # Built once per shape (table and columns), not per call.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__  # type: ignore[attr-defined]
    return (
        insert(table)
        .values({name: bindparam(name) for name in columns})
        .on_conflict_do_nothing()
        .returning(*table.primary_key.columns)
    )
