"""SQLite writers queue for the write lock promptly, instead of polling in SQLite's busy handler.

SQLite's busy handler sleeps 1, 2, 5 … up to 100 ms between tries, so under a burst of uploads
the lock sits free while every waiter sleeps, and the slowest request waits seconds. Here a
write transaction first takes:

- a lock of its process (the threads of one server worker), which hands over at once, then
- an advisory `flock` on `<database>.writers`, shared by the processes (the server's workers,
  the CLI, the webhook worker). Only one thread per process waits for it, polling every
  millisecond; the kernel drops it with the process, so a crash never leaves it held.

Both give up after the busy timeout and let the transaction go on without them: SQLite's own
lock still serializes writers, only less promptly, so nothing can deadlock on this queue. (A
writer that gave up then waits up to the busy timeout again in SQLite: 60 s in the worst case.)
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref

WAIT_SECONDS = 30.0  # as the busy timeout
_POLL_SECONDS = 0.001


class WriterQueue:
    """The queue of one database file in this process."""

    def __init__(self, database_path: str) -> None:
        self._threads = threading.Lock()
        self._fd = os.open(f"{database_path}.writers", os.O_RDWR | os.O_CREAT, 0o600)
        # The connections hold the queue; when the last is gone, so is the descriptor.
        weakref.finalize(self, os.close, self._fd)

    def enter(self) -> bool:
        """Waits for this process's turn, then for the file lock; False if it gave up."""
        deadline = time.monotonic() + WAIT_SECONDS
        if not self._threads.acquire(timeout=WAIT_SECONDS):
            return False
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._threads.release()
                    return False
                time.sleep(_POLL_SECONDS)

    def leave(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


_queues: weakref.WeakValueDictionary[tuple[int, str], WriterQueue] = weakref.WeakValueDictionary()
_queues_guard = threading.Lock()


def writer_queue(database_path: str) -> WriterQueue:
    """One queue per database file and process, shared by every engine writing to it.

    Keyed by process id too: a forked child must open its own file, as an inherited
    descriptor would share its parent's `flock`."""
    path = os.path.realpath(database_path)
    key = (os.getpid(), path)
    with _queues_guard:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = WriterQueue(path)
        return queue


class QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that leaves its writer queue when its transaction ends."""

    queue: WriterQueue | None = None
    _in_queue = False

    def enter_queue(self) -> None:
        if self.queue is not None and not self._in_queue:
            self._in_queue = self.queue.enter()

    def leave_queue(self) -> None:
        if self._in_queue and self.queue is not None:
            self._in_queue = False
            self.queue.leave()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_queue()
