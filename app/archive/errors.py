"""Errors of the archive domain."""

from __future__ import annotations

from app.problems import AppError


class RetentionActive(AppError):
    """会计档案管理办法: nothing archived is destroyed before its retention ends."""

    status, slug = 409, "retention-active"
    title = "Archived items are under retention"
    explanation = (
        "会计档案管理办法: vouchers and their originals are kept 30 years from the end of "
        "their fiscal year; nothing archived is deleted before `retention_until`."
    )


class RecordNotAsSealed(AppError):
    """A record whose row no longer matches what the audit chain sealed is evidence, not waste."""

    status, slug = 409, "record-not-as-sealed"
    title = "The archive record does not match its seal"
    explanation = (
        "The record's row differs from what the audit chain sealed when it was archived (its "
        "retention date, say); it is not purged on the strength of an edited row. "
        "`railclaim archive verify` names the difference."
    )
