"""Warnings kept on an invoice as [{code, message, refs?}]; replaced as a whole so JSON changes
persist. `refs` lists, comma-separated, the ids of the other invoices the message names: the
message is shown only to a viewer who may read all of them (see `sight`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol


class HasWarnings(Protocol):
    warnings: list[dict[str, str]]


def add_warning(row: HasWarnings, code: str, message: str, refs: Iterable[uuid.UUID] = ()) -> None:
    if any(w["code"] == code for w in row.warnings):
        return
    warning = {"code": code, "message": message}
    named = ",".join(str(ref) for ref in refs)
    if named:
        warning["refs"] = named
    row.warnings = [*row.warnings, warning]


def warning_refs(warning: dict[str, str]) -> list[uuid.UUID]:
    return [uuid.UUID(ref) for ref in warning.get("refs", "").split(",") if ref]


def drop_warning(row: HasWarnings, code: str) -> None:
    if any(w["code"] == code for w in row.warnings):
        row.warnings = [w for w in row.warnings if w["code"] != code]
