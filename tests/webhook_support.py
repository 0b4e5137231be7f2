"""Helpers for webhook tests: enqueue events as business code does, and run worker passes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session

from app.db import utcnow
from app.webhooks.backoff import RetryPolicy
from app.webhooks.outbox import enqueue_event
from app.webhooks.worker import DEFAULT_LEASE, deliver_due, delivery_client


def utc(**delta: float) -> dt.datetime:
    """Now plus `delta` (timedelta keywords): a point on the worker's injected clock."""
    return utcnow() + dt.timedelta(**delta)


def enqueue(
    app: FastAPI, event_type: str, data: dict[str, Any], *, ordering_key: str | None = None
) -> None:
    """One committed business transaction that emits one event."""
    with Session(app.state.engine) as session:
        enqueue_event(session, event_type=event_type, data=data, ordering_key=ordering_key)
        session.commit()


def run_worker_pass(
    app: FastAPI,
    *,
    now: dt.datetime,
    limit: int = 1000,
    policy: RetryPolicy | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> int:
    # Never a proxy from the test machine's environment: deliveries meet the receiver guard.
    with delivery_client(5, use_env_proxy=False) as client:
        return deliver_due(
            lambda: Session(app.state.engine, expire_on_commit=False),
            client=client,
            now=now,
            limit=limit,
            policy=policy,
            lease=lease,
        )
