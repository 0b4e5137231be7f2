"""Claiming due deliveries and recording their outcome: the worker's database side.

A claim is a lease, not a held lock: one short transaction picks a due delivery, counts the
attempt and pushes `next_attempt_at` past the HTTP timeout; the request runs with no
transaction open (on SQLite a held write lock would stall the whole service); a second short
transaction records the outcome. A worker that dies mid-request leaves the lease to expire and
another worker retries. The attempt count doubles as a fencing token, so a worker that comes
back after its lease was taken over cannot overwrite the newer outcome.

Ordering: a delivery is due only when no earlier delivery (by event seq) of the same
subscription and ordering key is still pending (in flight or waiting to retry) or dead. A dead
delivery therefore holds back the later events of its claim for that receiver until an admin
retries it: they stay pending, nothing is lost and the claim's order holds. Events of other
claims, events without a key and other subscriptions are never held back.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.kit.retries import after_failure, lease_attempt, lease_first_due, record_attempt
from app.webhooks.backoff import RetryPolicy
from app.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

logger = logging.getLogger("railclaim.webhooks")

_ERROR_LENGTH = 500


@dataclass(frozen=True)
class DeliveryJob:
    """Everything needed to send one claimed delivery, detached from the session."""

    delivery_id: uuid.UUID
    attempt: int
    event_type: str
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _due_statement(now: dt.datetime) -> Select[WebhookDelivery, WebhookSubscription, str]:
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        col(earlier.subscription_id) == col(WebhookDelivery.subscription_id),
        col(earlier.ordering_key) == col(WebhookDelivery.ordering_key),
        col(earlier.event_seq) < col(WebhookDelivery.event_seq),
        col(earlier.status).in_(("pending", "dead")),
    )
    return (
        select(WebhookDelivery, WebhookSubscription, WebhookEvent.body)
        .join(
            WebhookSubscription,
            col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id),
        )
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .where(
            col(WebhookDelivery.status) == "pending",
            col(WebhookDelivery.next_attempt_at) <= now,
            ~blocked,
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.event_seq))
        .limit(1)
        # PostgreSQL: concurrent workers skip each other's rows instead of queueing on them.
        # SQLite ignores it; BEGIN IMMEDIATE already makes each claim a single writer.
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )


def claim_next(
    session: Session, *, now: dt.datetime, lease: dt.timedelta, policy: RetryPolicy
) -> DeliveryJob | None:
    """Leases the next due delivery and counts its attempt; the caller commits."""

    def take(row: tuple[WebhookDelivery, WebhookSubscription, str]) -> DeliveryJob | None:
        delivery, subscription, body = row
        if subscription.deleted_at is not None or not subscription.active:
            # Enqueued while a concurrent delete committed; the delete cancelled the rest.
            delivery.status = "cancelled"
            return None
        if not lease_attempt(delivery, now=now, lease=lease, backoff=policy, sender="worker"):
            return None
        return DeliveryJob(
            delivery_id=delivery.id,
            attempt=delivery.attempts,
            event_type=delivery.event_type,
            url=subscription.url,
            secret=subscription.secret,
            body=body.encode("utf-8"),
        )

    return lease_first_due(session, _due_statement(now), take)


def record_outcome(
    session: Session, job: DeliveryJob, outcome: Outcome, *, now: dt.datetime, policy: RetryPolicy
) -> str | None:
    """Stores the result of an attempt; returns the new status, None if the lease was lost."""
    values: dict[str, object] = {
        "last_status_code": outcome.status_code,
        "last_error": outcome.error[:_ERROR_LENGTH] if outcome.error else None,
    }
    if outcome.delivered:
        values |= {"status": "delivered", "delivered_at": now}
    else:
        values |= after_failure(policy, job.attempt, now=now)
    status = record_attempt(session, WebhookDelivery, job.delivery_id, job.attempt, values)
    if status is None:
        logger.warning("lease lost before recording", extra={"delivery_id": str(job.delivery_id)})
        return None
    if status == "dead":
        # Operators act on this: the receiver's later events of the same claim now wait.
        # Not the URL: receivers often put an access token in it.
        logger.warning(
            "webhook delivery dead",
            extra={"delivery_id": str(job.delivery_id), "error": outcome.error},
        )
    return status
