"""Request and response bodies of the paper voucher endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.kit.dates import Day
from app.kit.money import Money
from app.kit.text import ShortText

SEAT_CLASSES = (
    "商务座",
    "特等座",
    "一等座",
    "二等座",
    "高级软卧",
    "软卧",
    "硬卧",
    "动卧",
    "一等卧",
    "二等卧",
    "软座",
    "硬座",
    "无座",
)


def _station(value: str) -> str:
    # Stations are stored without the trailing 站, as the e-invoice XBRL names them.
    return value[:-1] if value.endswith("站") and len(value) > 1 else value


Station = Annotated[ShortText, StringConstraints(max_length=32), AfterValidator(_station)]
SerialNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9]{6,64}$")
]
ETicketNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{8,64}$")
]
TrainNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]?[0-9]{1,4}$")
]
MaskedId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"^[0-9]{6,10}\*{4,8}[0-9]{3}[0-9Xx]$"
    ),
]


class PaperVoucherCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    serial_number: SerialNumber
    e_ticket_number: ETicketNumber
    travel_date: Day
    train_number: TrainNumber
    departure_station: Station
    arrival_station: Station
    seat_class: Literal[SEAT_CLASSES]  # type: ignore[valid-type]
    fare: Decimal = Field(gt=0, le=100000, decimal_places=2)
    passenger_name: ShortText
    passenger_id_masked: MaskedId
    entity: uuid.UUID | None = None
    owner: uuid.UUID | None = None


class ReceiveOriginal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received_on: Day
    location: ShortText


class ScanOut(BaseModel):
    sha256: str
    content_type: str
    url: str


class PaperVoucherOut(BaseModel):
    id: uuid.UUID
    serial_number: str
    e_ticket_number: str
    travel_date: dt.date
    train_number: str
    departure_station: str
    arrival_station: str
    seat_class: str
    fare: Money
    passenger_name: str
    passenger_id_masked: str
    entity: uuid.UUID
    owner: uuid.UUID
    status: str
    received_on: dt.date | None
    location: str | None
    scan: ScanOut | None
    warnings: list[dict[str, str]]
    created_at: dt.datetime
