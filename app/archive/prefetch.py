"""Stored files read and hashed ahead of the zip writer, on a thread, within a memory budget.

An export copies tens of thousands of small files: opening, reading and hashing each in turn
left the zip writer idle while it waited, and the reads idle while it deflated. File reads,
S3 GETs, SHA-256 and zlib all release the GIL, so a reader thread working a few files ahead
overlaps reading and hashing with writing (a second one measured slower: 1.73 s against 1.62 s
for 2,000 vouchers on an idle machine). Only files up to SMALL_FILE bytes are read
ahead, at most AHEAD at a time (so at most AHEAD x SMALL_FILE bytes held); a larger one is
streamed by the writer itself, as before.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from app.storage import FileStore

SMALL_FILE = 4 * 1024 * 1024
AHEAD = 16
READERS = 1


@dataclass(frozen=True)
class Wanted:
    """A stored file the writer will need, in the order it needs them."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Fetched:
    """What was read: the bytes and their actual SHA-256; None when not read ahead (too large:
    the writer streams it) and `missing` when the store does not have it."""

    data: bytes | None
    actual_sha256: str | None
    missing: bool = False


def read_ahead(store: FileStore, wanted: Iterable[Wanted]) -> Iterator[Fetched]:
    """One Fetched per Wanted, in order, read up to AHEAD files ahead of the consumer."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="export-read") as pool:
        pending: deque[Future[Fetched]] = deque()
        for item in wanted:
            pending.append(pool.submit(_fetch, store, item))
            if len(pending) >= AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _fetch(store: FileStore, item: Wanted) -> Fetched:
    if item.size > SMALL_FILE:
        return Fetched(None, None)
    try:
        data = store.get(item.sha256)
    except (FileNotFoundError, ValueError):  # ValueError: the row holds no valid hash at all
        return Fetched(None, None, missing=True)
    if len(data) > SMALL_FILE:  # the row's size lied: keep to the budget, let the writer stream
        return Fetched(None, None)
    return Fetched(data, hashlib.sha256(data).hexdigest())
