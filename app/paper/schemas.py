"""Request and response bodies of the paper voucher endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

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
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{6,64}$")
]
ETicketNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{8,64}$")
]
TrainNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]?[0-9]{1,4}$")
]
FlightNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{2}[0-9]{1,4}[A-Za-z]?$"
    ),
]
# A paper itinerary's 舱位: the booking-class letter, read by the entity's cabin table.
CabinLetter = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
AirMoney = Annotated[Decimal, Field(ge=0, le=100000, decimal_places=2)]
MaskedId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"^[0-9]{6,10}\*{4,8}[0-9]{3}[0-9Xx]$"
    ),
]


class PaperVoucherCreate(BaseModel):
    """A paper 报销凭证 (`kind` railway: a train) or 行程单 (`kind` air: a flight, its 舱位
    letter in `seat_class`, its airports as the stations, and the amounts beside the 票价)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["railway", "air"] = "railway"
    serial_number: SerialNumber
    e_ticket_number: ETicketNumber
    travel_date: Day
    train_number: TrainNumber | None = Field(default=None, validate_default=True)
    flight_number: FlightNumber | None = Field(default=None, validate_default=True)
    departure_station: Station
    arrival_station: Station
    seat_class: ShortText
    fare: Decimal = Field(gt=0, le=100000, decimal_places=2)
    fuel_surcharge: AirMoney | None = Field(default=None, validate_default=True)
    civil_aviation_fund: AirMoney | None = Field(default=None, validate_default=True)
    other_taxes: AirMoney | None = Field(default=None, validate_default=True)
    passenger_name: ShortText
    passenger_id_masked: MaskedId
    entity: uuid.UUID | None = None
    owner: uuid.UUID | None = None

    @field_validator("train_number")
    @classmethod
    def _train_for_railway(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _for_kind(value, info, "railway")

    @field_validator("flight_number")
    @classmethod
    def _flight_for_air(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _for_kind(value, info, "air")

    @field_validator("seat_class")
    @classmethod
    def _seat_class_of_kind(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == "air":
            if len(value) != 1 or not value.isascii() or not value.isalpha():
                raise PydanticCustomError("cabin_letter", "must be one booking-class letter")
            return value
        if value not in SEAT_CLASSES:
            expected = ", ".join(f"'{c}'" for c in SEAT_CLASSES)
            raise PydanticCustomError(
                "literal_error", "Input should be {expected}", {"expected": expected}
            )
        return value

    @field_validator("fuel_surcharge", "civil_aviation_fund", "other_taxes")
    @classmethod
    def _air_amounts(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if info.data.get("kind") == "air":
            return Decimal("0.00") if value is None else value
        if value is not None:
            raise PydanticCustomError("air_only", "is printed on paper itineraries only")
        return None


def _for_kind(value: str | None, info: ValidationInfo, kind: str) -> str | None:
    """Required for its own kind of voucher, refused on the other."""
    if info.data.get("kind", "railway") == kind:
        if value is None:
            raise PydanticCustomError("missing", "Field required")
        return value
    if value is not None:
        other = "a train" if kind == "railway" else "a flight"
        raise PydanticCustomError("wrong_kind", f"a voucher of this kind has no {other}")
    return None


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
    kind: Literal["railway", "air"]
    serial_number: str
    e_ticket_number: str
    travel_date: dt.date
    train_number: str | None
    flight_number: str | None
    departure_station: str
    arrival_station: str
    seat_class: str
    fare: Money
    fuel_surcharge: Money | None
    civil_aviation_fund: Money | None
    other_taxes: Money | None
    # What the traveller paid: the fare, plus for air 燃油, 基金 and 其他.
    total_amount: Money
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
