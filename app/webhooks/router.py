"""HTTP endpoints for webhook subscriptions and their delivery logs (admins only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.deps import AdminUser
from app.config import SettingsDep
from app.db import SessionDep
from app.kit.pagination import CursorQuery, LimitQuery, Page
from app.webhooks import service
from app.webhooks.schemas import (
    DeliveryOut,
    DeliveryStatus,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
)

router = APIRouter(tags=["webhooks"])


@router.get("/webhooks")
def list_webhooks(
    session: SessionDep, _admin: AdminUser, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[SubscriptionOut]:
    return Page.of(service.list_subscriptions(session, cursor=cursor, limit=limit))


@router.post("/webhooks", status_code=status.HTTP_201_CREATED)
def create_webhook(
    session: SessionDep, settings: SettingsDep, admin: AdminUser, data: SubscriptionCreate
) -> SubscriptionCreated:
    return service.create_subscription(session, data, actor=admin.user, settings=settings)


@router.get("/webhooks/{subscription_id}")
def get_webhook(
    session: SessionDep, _admin: AdminUser, subscription_id: uuid.UUID
) -> SubscriptionOut:
    return service.get_subscription(session, subscription_id)


@router.delete("/webhooks/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(
    session: SessionDep, settings: SettingsDep, admin: AdminUser, subscription_id: uuid.UUID
) -> None:
    service.delete_subscription(session, subscription_id, actor=admin.user, settings=settings)


@router.get("/webhooks/{subscription_id}/deliveries")
def list_webhook_deliveries(
    session: SessionDep,
    _admin: AdminUser,
    subscription_id: uuid.UUID,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[DeliveryOut]:
    return Page.of(
        service.list_deliveries(
            session, subscription_id, status=delivery_status, cursor=cursor, limit=limit
        )
    )


@router.post("/webhooks/{subscription_id}/deliveries/{delivery_id}/retry")
def retry_webhook_delivery(
    session: SessionDep,
    settings: SettingsDep,
    admin: AdminUser,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
) -> DeliveryOut:
    return service.retry_delivery(
        session, subscription_id, delivery_id, actor=admin.user, settings=settings
    )
