"""Request bodies refuse a range given backwards, on the field ending it (kit.ranges.not_below)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from app.claims.schemas import ClaimPolicyIn, SubstituteCreate

SUBSTITUTE = str(uuid.UUID(int=7))


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        (
            SubstituteCreate,
            {"substitute_id": SUBSTITUTE, "starts_on": "2026-03-02", "ends_on": "2026-03-01"},
            [("ends_on", "date_range_reversed")],
        ),
        (
            ClaimPolicyIn,
            {"first_class_min_grade": 5, "business_class_min_grade": 4},
            [("business_class_min_grade", "grades_out_of_order")],
        ),
        # The default business-class grade (6) is checked too when only first class is sent.
        (
            ClaimPolicyIn,
            {"first_class_min_grade": 7},
            [("business_class_min_grade", "grades_out_of_order")],
        ),
        # A start that failed its own check is not compared: one error, on the start.
        (
            SubstituteCreate,
            {"substitute_id": SUBSTITUTE, "starts_on": "soon", "ends_on": "2026-03-01"},
            [("starts_on", "date_from_datetime_parsing")],
        ),
    ],
)
def test_a_backwards_range_is_refused_on_its_end(
    model: type[BaseModel], data: dict[str, Any], expected: list[tuple[str, str]]
):
    assert _errors(model, data) == expected


def test_a_range_in_order_passes():
    body = SubstituteCreate.model_validate(
        {"substitute_id": SUBSTITUTE, "starts_on": "2026-03-01", "ends_on": "2026-03-01"}
    )
    assert body.ends_on == body.starts_on
    policy = ClaimPolicyIn.model_validate(
        {"first_class_min_grade": 4, "business_class_min_grade": 4}
    )
    assert policy.business_class_min_grade == 4
