"""The outbox's event body: the exact, stable JSON bytes that are sent and signed."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from app.webhooks.outbox import enqueue_event, event_body

EVENT_ID = uuid.UUID("0b0e6f3e-3c59-4a51-9d7c-3b0d7c1e6a10")
CREATED = dt.datetime(2026, 11, 27, 6, 30, tzinfo=dt.UTC)


def test_the_body_is_compact_sorted_json_with_the_four_fields():
    body = event_body(EVENT_ID, "claim.paid", CREATED, {"total": Decimal("553.00"), "b": 1})
    assert body == (
        '{"created_at":"2026-11-27T06:30:00+00:00","data":{"b":1,"total":"553.00"},'
        f'"id":"{EVENT_ID}","type":"claim.paid"}}'
    )


def test_the_same_event_always_gives_the_same_bytes():
    data = {"z": [1, 2], "a": {"y": "旅客", "x": None}}
    reordered = {"a": {"x": None, "y": "旅客"}, "z": [1, 2]}
    assert event_body(EVENT_ID, "claim.paid", CREATED, data) == event_body(
        EVENT_ID, "claim.paid", CREATED, reordered
    )


def test_ids_dates_and_chinese_text_read_back_as_expected():
    claim_id = uuid.uuid4()
    data = {
        "claim_id": claim_id,
        "paid_on": dt.date(2026, 12, 1),
        "at": dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC),
        "station": "北京南",
    }
    body = event_body(EVENT_ID, "claim.paid", CREATED, data)
    assert "北京南" in body  # kept as UTF-8, not \\u-escaped
    assert json.loads(body)["data"] == {
        "claim_id": str(claim_id),
        "paid_on": "2026-12-01",
        "at": "2026-12-01T08:00:00+00:00",
        "station": "北京南",
    }


def test_values_without_a_json_form_are_refused():
    with pytest.raises(TypeError, match="set"):
        event_body(EVENT_ID, "claim.paid", CREATED, {"items": {1, 2}})


@pytest.mark.parametrize("event_type", ["claim.created", "", "CLAIM.PAID"])
def test_unknown_event_types_are_refused_before_touching_the_session(event_type: str):
    session: Any = None  # never used: the type is checked first
    with pytest.raises(ValueError, match="unknown webhook event type"):
        enqueue_event(session, event_type=event_type, data={})
