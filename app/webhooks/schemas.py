"""Request and response bodies of the webhook subscription and delivery-log endpoints."""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    UrlConstraints,
)
from pydantic_core import PydanticCustomError

from app.kit.text import refuse_control_characters
from app.webhooks.models import EventType as EventType  # re-exported: the pages list the types
from app.webhooks.receivers import forbidden_receiver

DeliveryStatus = Literal["pending", "delivered", "dead"]


def _not_link_local(url: HttpUrl) -> HttpUrl:
    """A URL naming a forbidden address is refused here; a host name is checked where a
    delivery connects (see `app.webhooks.receivers`)."""
    host = (url.host or "").strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if forbidden_receiver(address):
        raise PydanticCustomError(
            "link_local_receiver",
            "a link-local, unspecified or metadata-service address is no webhook receiver",
        )
    return url


def _as_typed(value: object) -> object:
    # The URL parser drops a NUL or a line break without a word: the address kept would not
    # be the one typed.
    return refuse_control_characters(value) if isinstance(value, str) else value


ReceiverUrl = Annotated[
    HttpUrl,
    UrlConstraints(max_length=2000, allowed_schemes=["http", "https"]),
    BeforeValidator(_as_typed),
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
