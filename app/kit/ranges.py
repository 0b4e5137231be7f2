"""Ranges in filters and bodies: given backwards (from after to) they are a mistake, not a wish for
nothing."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from app.problems import ValidationProblem

Bound = TypeVar("Bound", bound=Any)


def require_ordered(lower: Bound | None, upper: Bound | None, *, upper_field: str) -> None:
    """422 `validation-error` on `upper_field` when both ends are given and lower > upper."""
    if lower is not None and upper is not None and lower > upper:
        raise ValidationProblem(
            upper_field, "is before the start of the range", code="date_range_reversed"
        )


def not_below(field: str, code: str, message: str) -> AfterValidator:
    """A body field's check that it is not below `field`, declared (and so validated) before it;
    a `field` that failed its own checks is not compared."""

    def check(value: Bound, info: ValidationInfo) -> Bound:
        lower = info.data.get(field)
        if lower is not None and value < lower:
            raise PydanticCustomError(code, message)
        return value

    return AfterValidator(check)
