"""Reading a stored file back only as the bytes that were recorded, above any backend.

Downloads are at most the upload limit (20 MiB by default), so the whole file is read and hashed
before the first byte is sent: a check at the end of a stream could only cut a response whose
status and ETag were already promised. The check sits here, not in a backend, so a local folder
and an S3 bucket answer a missing or damaged file the same way.
"""

from __future__ import annotations

import hashlib
import logging

from prometheus_client import Counter

from app.storage.base import FileStore
from app.storage.errors import StoredFileDamaged, StoredFileMissing

log = logging.getLogger("railclaim.storage")

STORED_FILE_FAILURES = Counter(
    "railclaim_stored_file_failures_total",
    "Recorded files found missing or damaged when read for a download",
    ["problem"],
)


def read_verified(store: FileStore, sha256: str) -> bytes:
    """The bytes whose SHA-256 is `sha256`, or a typed problem (logged at ERROR, counted)."""
    try:
        data = store.get(sha256)
    except FileNotFoundError:
        _report("missing", sha256)
        raise StoredFileMissing(
            "The stored original is missing; an operator must restore it."
        ) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        _report("damaged", sha256)
        raise StoredFileDamaged(
            "The stored original no longer matches its recorded SHA-256; it is not served."
        )
    return data


def _report(problem: str, sha256: str) -> None:
    STORED_FILE_FAILURES.labels(problem).inc()
    log.error("stored file %s", problem, extra={"sha256": sha256})
