"""The storage's problems: a recorded file that cannot be served as it was recorded."""

from __future__ import annotations

from app.problems import AppError


class StoredFileMissing(AppError):
    """The database names a file the store no longer holds.

    503, not 500: no code path failed, the service lacks a file an operator must restore (from
    the archive export or a backup); not 404 either, because the resource itself exists.
    """

    status, slug = 503, "stored-file-missing"


class StoredFileDamaged(AppError):
    """The stored bytes no longer hash to what was recorded; they are never sent."""

    status, slug = 503, "stored-file-damaged"
