"""Ranges in filters: given backwards (from after to) they are a mistake, not a wish for nothing."""

from __future__ import annotations

from typing import Any, TypeVar

from app.problems import ValidationProblem

Bound = TypeVar("Bound", bound=Any)


def require_ordered(lower: Bound | None, upper: Bound | None, *, upper_field: str) -> None:
    """422 `validation-error` on `upper_field` when both ends are given and lower > upper."""
    if lower is not None and upper is not None and lower > upper:
        raise ValidationProblem(
            upper_field, "is before the start of the range", code="date_range_reversed"
        )
