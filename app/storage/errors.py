"""The storage's problems: a recorded file that cannot be served as it was recorded."""

from __future__ import annotations

from app.problems import AppError


class StoredFileMissing(AppError):
    """The database names a file the store no longer holds.

    503, not 500: no code path failed, the service lacks a file an operator must restore (from
    the archive export or a backup); not 404 either, because the resource itself exists.
    """

    status, slug = 503, "stored-file-missing"
    title = "The stored original is missing"
    explanation = (
        "The database records a file the storage no longer holds; it must be restored from the "
        "archive or a backup. The event is logged and counted in /metrics."
    )


class StoredFileDamaged(AppError):
    """The stored bytes no longer hash to what was recorded; they are never sent."""

    status, slug = 503, "stored-file-damaged"
    title = "The stored original is damaged"
    explanation = (
        "The stored bytes no longer match the SHA-256 recorded at upload, so they are not served; "
        "the original must be restored from the archive or a backup."
    )
