"""The SQLite writer queue: writers of one process hand over at once, and nothing waits forever."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import sqlite_writers
from app.db import make_engine


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    return engine


def _increment(engine: Engine) -> None:
    with engine.begin() as connection:
        n = connection.execute(text("SELECT n FROM counter")).scalar_one()
        connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})


def test_concurrent_writers_of_one_process_all_commit(engine: Engine) -> None:
    # A read-then-write in every transaction: lost updates would show as a smaller count.
    threads = [
        threading.Thread(target=lambda: [_increment(engine) for _ in range(25)]) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar_one() == 200


def test_the_queue_is_left_after_commit_and_after_rollback(engine: Engine, tmp_path: Path) -> None:
    queue = sqlite_writers.writer_queue(str(tmp_path / "queue.db"))
    _increment(engine)
    with engine.connect() as connection:
        connection.execute(text("UPDATE counter SET n = n + 1"))
        connection.rollback()
    # Free again: another process could take the file lock, this process's turn is free.
    fd = os.open(str(tmp_path / "queue.db.writers"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    assert queue.enter()
    queue.leave()


def test_a_writer_gives_up_the_queue_rather_than_wait_forever(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process holds the file lock (and, here, not SQLite's lock): after the wait the
    # transaction goes on under SQLite's own locking instead of hanging.
    monkeypatch.setattr(sqlite_writers, "WAIT_SECONDS", 0.05)
    fd = os.open(str(tmp_path / "queue.db.writers"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _increment(engine)
    finally:
        os.close(fd)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar_one() == 1
    queue = sqlite_writers.writer_queue(str(tmp_path / "queue.db"))
    assert queue.enter(), "the process's turn was handed back after giving up"
    queue.leave()
