"""The storage interface every backend implements (a local folder, an S3-compatible bucket)."""

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
    """Bytes addressed by their SHA-256. `put` is idempotent and durable when it returns.

    A name that is no SHA-256 raises ValueError; a file that is not stored raises
    FileNotFoundError from `get` and `open`, whichever backend holds the files.
    """

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

    def is_ready(self) -> bool:
        """Whether the store can be written now (readiness probe); never raises."""
        ...
