"""Request and response bodies of the webhook subscription and delivery-log endpoints."""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    UrlConstraints,
)
from pydantic_core import PydanticCustomError

from app.webhooks.models import EventType as EventType  # re-exported: the pages list the types

DeliveryStatus = Literal["pending", "delivered", "dead"]


def _not_link_local(url: HttpUrl) -> HttpUrl:
    """A cloud machine's metadata service answers on a link-local address (169.254.169.254):
    a receiver there would post event bodies to it and store its answers in the delivery log.
    Loopback and private addresses stay allowed: receivers on the same host or network are
    common (and the tests use one)."""
    host = (url.host or "").strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url  # a name: resolved at delivery
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    if address.is_link_local or address.is_unspecified:
        raise PydanticCustomError(
            "link_local_receiver", "a link-local or unspecified address is no webhook receiver"
        )
    return url


ReceiverUrl = Annotated[
    HttpUrl,
    UrlConstraints(max_length=2000, allowed_schemes=["http", "https"]),
    AfterValidator(_not_link_local),
]


def _printable(value: str) -> str:
    if not value.isprintable() or not value.isascii():
        raise PydanticCustomError(
            "not_printable_ascii", "must be printable ASCII (it is used as an HMAC key)"
        )
    return value


Secret = Annotated[
    str, StringConstraints(min_length=16, max_length=200), AfterValidator(_printable)
]


def _unique(values: list[EventType]) -> list[EventType]:
    return list(dict.fromkeys(values))


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: ReceiverUrl
    # Omit it and the service generates one, returned in this response only.
    secret: Secret | None = None
    event_types: Annotated[list[EventType], Field(max_length=12), AfterValidator(_unique)] = []
    active: bool = True


class SubscriptionOut(BaseModel):
    """A subscription as listed: never with its secret."""

    id: uuid.UUID
    url: str
    event_types: list[EventType] = Field(description="Empty: every event type")
    active: bool
    created_at: dt.datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Shown once; store it to verify Railclaim-Signature")


class DeliveryOut(BaseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: EventType
    ordering_key: str | None
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: dt.datetime | None
    next_attempt_at: dt.datetime | None = Field(description="Only while pending")
    delivered_at: dt.datetime | None
    created_at: dt.datetime
