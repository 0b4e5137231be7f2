"""Managing webhook subscriptions and reading or retrying their deliveries (admin commands)."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.audit.service import AuditedObject, EventRecorder, audit_key
from app.auth.models import User
from app.config import Settings
from app.db import utcnow
from app.kit.pagination import paginate_table
from app.problems import NotFound
from app.webhooks.errors import DeliveryNotDead
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from app.webhooks.schemas import (
    DeliveryOut,
    DeliveryStatus,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
)


def create_subscription(
    session: Session, data: SubscriptionCreate, *, actor: User, settings: Settings
) -> SubscriptionCreated:
    """Registers a receiver; the secret (given or generated) is returned here and never again."""
    secret = data.secret or secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        url=str(data.url),
        secret=secret,
        event_types=list(data.event_types),
        active=data.active,
        created_by_id=actor.id,
    )
    session.add(subscription)
    session.flush()
    EventRecorder(actor, audit_key(settings)).record(
        session,
        "webhook.created",
        AuditedObject("webhook_subscription", subscription.id),
        # Never the secret: the audit log is readable by auditors.
        details={
            "url": _audited_url(subscription.url),
            "event_types": data.event_types,
            "active": data.active,
        },
    )
    session.commit()
    return SubscriptionCreated(**_subscription_out(subscription).model_dump(), secret=secret)


def list_subscriptions(
    session: Session, *, cursor: str | None, limit: int
) -> tuple[list[SubscriptionOut], str | None]:
    statement = select(WebhookSubscription).where(col(WebhookSubscription.deleted_at).is_(None))
    rows, next_cursor = paginate_table(
        session, statement, WebhookSubscription, cursor=cursor, limit=limit
    )
    return [_subscription_out(s) for s in rows], next_cursor


def get_subscription(session: Session, subscription_id: uuid.UUID) -> SubscriptionOut:
    return _subscription_out(_live_subscription(session, subscription_id))


def delete_subscription(
    session: Session, subscription_id: uuid.UUID, *, actor: User, settings: Settings
) -> None:
    """Stops deliveries to a receiver: its pending deliveries are cancelled, its log kept."""
    now = utcnow()
    deleted = session.execute(
        update(WebhookSubscription)
        .where(
            col(WebhookSubscription.id) == subscription_id,
            col(WebhookSubscription.deleted_at).is_(None),
        )
        .values(deleted_at=now, active=False)
        .returning(col(WebhookSubscription.url))
    ).one_or_none()
    if deleted is None:
        raise NotFound("No such webhook subscription.")
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.subscription_id) == subscription_id,
            col(WebhookDelivery.status) == "pending",
        )
        .values(status="cancelled")
    )
    EventRecorder(actor, audit_key(settings)).record(
        session,
        "webhook.deleted",
        AuditedObject("webhook_subscription", subscription_id),
        details={"url": _audited_url(deleted[0])},
    )
    session.commit()


def list_deliveries(
    session: Session,
    subscription_id: uuid.UUID,
    *,
    status: DeliveryStatus | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[DeliveryOut], str | None]:
    """The delivery log of one subscription, newest first."""
    _live_subscription(session, subscription_id)
    statement = select(WebhookDelivery).where(
        col(WebhookDelivery.subscription_id) == subscription_id
    )
    if status is not None:
        statement = statement.where(col(WebhookDelivery.status) == status)
    rows, next_cursor = paginate_table(
        session, statement, WebhookDelivery, cursor=cursor, limit=limit
    )
    return [delivery_out(d) for d in rows], next_cursor


def retry_delivery(
    session: Session,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
    *,
    actor: User,
    settings: Settings,
) -> DeliveryOut:
    """Gives a dead delivery a fresh round of attempts, due at once.

    A conditional UPDATE, so two admins retrying together reset it once (the other gets 409).
    """
    _live_subscription(session, subscription_id)
    revived = session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookDelivery.subscription_id) == subscription_id,
            col(WebhookDelivery.status) == "dead",
        )
        .values(status="pending", attempts=0, next_attempt_at=utcnow())
        .returning(col(WebhookDelivery.id))
    ).one_or_none()
    if revived is None:
        _refuse_retry(session, subscription_id, delivery_id)
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    assert delivery is not None
    EventRecorder(actor, audit_key(settings)).record(
        session,
        "webhook.delivery_retried",
        AuditedObject("webhook_delivery", delivery_id),
        details={
            "subscription_id": str(subscription_id),
            "event_id": str(delivery.event_id),
            "event_type": delivery.event_type,
        },
    )
    session.commit()
    return delivery_out(delivery)


def _refuse_retry(session: Session, subscription_id: uuid.UUID, delivery_id: uuid.UUID) -> None:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise NotFound("No such delivery for this webhook subscription.")
    raise DeliveryNotDead(
        f"The delivery is {delivery.status}; only a dead one can be retried.",
        delivery_status=delivery.status,
    )


def _audited_url(url: str) -> str:
    """The URL without credentials or query: receivers often carry an access token there."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # IPv6 literal
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _live_subscription(session: Session, subscription_id: uuid.UUID) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.deleted_at is not None:
        raise NotFound("No such webhook subscription.")
    return subscription


def _subscription_out(subscription: WebhookSubscription) -> SubscriptionOut:
    return SubscriptionOut.model_validate(subscription, from_attributes=True)


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    out = DeliveryOut.model_validate(delivery, from_attributes=True)
    if delivery.status != "pending":
        out.next_attempt_at = None
    return out
