"""Warnings kept on an invoice as [{code, message}]; replaced as a whole so JSON changes persist."""

from __future__ import annotations

from typing import Protocol


class HasWarnings(Protocol):
    warnings: list[dict[str, str]]


def add_warning(row: HasWarnings, code: str, message: str) -> None:
    if any(w["code"] == code for w in row.warnings):
        return
    row.warnings = [*row.warnings, {"code": code, "message": message}]


def drop_warning(row: HasWarnings, code: str) -> None:
    if any(w["code"] == code for w in row.warnings):
        row.warnings = [w for w in row.warnings if w["code"] != code]
