"""The storage interface every backend implements (local folder now, object storage next)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    modified_at: dt.datetime


class FileStore(Protocol):
    """Bytes addressed by their SHA-256. `put` is idempotent and durable when it returns."""

    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO:
        """A binary reader of the stored bytes, for streaming without holding a file in memory."""
        ...

    def iter_files(self) -> Iterator[StoredFile]: ...

    def remove_unreferenced(self, sha256: str) -> None:
        """Only garbage collection calls this, for files no database row refers to."""
        ...
