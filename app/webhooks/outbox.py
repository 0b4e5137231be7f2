"""The transactional outbox: business code enqueues events inside its own transaction.

Fan-out happens here, at enqueue time: the event row and one pending delivery per matching
active subscription join the caller's transaction, so the change, its event and its deliveries
commit (or roll back) together, and the worker never has a second fan-out stage that could lag,
crash half-way or reorder. A subscription receives the events enqueued while it exists; it is
not a replay of history.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.db import utcnow
from app.webhooks.models import EVENT_TYPES, WebhookDelivery, WebhookEvent, WebhookSubscription


def enqueue_event(
    session: Session,
    *,
    event_type: str,
    data: dict[str, Any],
    ordering_key: str | None = None,
) -> None:
    """Adds `event_type` with `data` to the caller's transaction; the caller commits.

    Events sharing an `ordering_key` (e.g. ``"claim:<id>"``) reach each receiver in the order
    they were enqueued. Enqueue after the change that locks the object the key names (the
    claim's row update), so concurrent transitions of one claim get their order from that lock.
    `data` is JSON; UUIDs, dates and Decimals (as strings, like money in the API) are accepted.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    now, event_id = utcnow(), uuid.uuid4()
    values = {
        "id": event_id,
        "event_type": event_type,
        "ordering_key": ordering_key,
        "created_at": now,
        "body": event_body(event_id, event_type, now, data),
    }
    subscriptions = _matching_subscriptions(session, event_type)
    # Core inserts: nothing reads the event back as an object, and every event pays it.
    if not subscriptions:
        session.execute(_INSERT_EVENT, values)
        return
    seq = session.execute(_INSERT_EVENT_RETURNING_SEQ, values).scalar_one()
    rows = [
        {
            "id": uuid.uuid4(),
            "subscription_id": subscription_id,
            "event_id": event_id,
            "event_seq": seq,
            "event_type": event_type,
            "ordering_key": ordering_key,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for subscription_id in subscriptions
    ]
    session.execute(insert(WebhookDelivery), rows)


_EVENTS = WebhookEvent.__table__  # type: ignore[attr-defined]
_INSERT_EVENT = insert(_EVENTS)
_INSERT_EVENT_RETURNING_SEQ = insert(_EVENTS).returning(_EVENTS.c.seq)
# Built once: every change that emits an event runs it.
_ACTIVE_SUBSCRIPTIONS = select(WebhookSubscription.id, WebhookSubscription.event_types).where(
    col(WebhookSubscription.active).is_(True),
    col(WebhookSubscription.deleted_at).is_(None),
)


def _matching_subscriptions(session: Session, event_type: str) -> list[uuid.UUID]:
    # Few subscriptions exist; filtering the JSON list here is portable across both engines.
    rows = session.exec(_ACTIVE_SUBSCRIPTIONS).all()
    return [sid for sid, types in rows if not types or event_type in types]


def event_body(
    event_id: uuid.UUID, event_type: str, created_at: dt.datetime, data: dict[str, Any]
) -> str:
    """The delivered JSON: compact, keys sorted, UTF-8 text kept as is."""
    envelope = {
        "id": str(event_id),
        "type": event_type,
        "created_at": created_at.isoformat(),
        "data": data,
    }
    return json.dumps(
        envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_json_value
    )


def _json_value(value: Any) -> str:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable in a webhook event")
