"""Response bodies of the invoice endpoints (the SPEC's invoice JSON) and batch results."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.kit.bulk import MAX_BULK_ITEMS, BulkIds
from app.kit.dates import Day
from app.kit.money import Money, Rate
from app.kit.text import Paragraph

# A station's local clock time as printed on the ticket, without an offset; JSON Schema's
# "time" format is RFC 3339 full-time, which requires one, so the schema states the shape.
LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?$",
            "description": "Local time (HH:MM:SS), no offset",
        }
    ),
]


class WarningOut(BaseModel):
    code: str
    message: str


class RenditionOut(BaseModel):
    kind: str
    filename: str
    sha256: str
    size: int
    url: str


class SegmentOut(BaseModel):
    """One flight of an air e-itinerary; `cabin_class` reads `cabin` by the entity's table."""

    carrier: str | None
    flight_number: str
    cabin: str | None
    cabin_class: Literal["economy", "business", "first"] | None
    travel_date: dt.date | None
    departure_time: LocalTime | None
    departure_airport: str | None
    arrival_airport: str | None


class InvoiceOut(BaseModel):
    id: uuid.UUID
    kind: Literal["railway", "air"]
    invoice_number: str
    business_type: str
    is_red_letter: bool
    issue_date: dt.date | None
    train_number: str | None
    departure_station: str | None
    arrival_station: str | None
    travel_date: dt.date | None
    departure_time: LocalTime | None
    seat_class: str | None
    carriage: str | None
    seat: str | None
    fare: Money
    amount_excluding_tax: Money | None
    tax_rate: Rate | None
    tax_amount: Money | None
    # 价税合计: the fare for railway; for air 票价 + 燃油 + 税额 + 基金 + 其他.
    total_amount: Money
    fuel_surcharge: Money | None
    civil_aviation_fund: Money | None
    other_taxes: Money | None
    domestic: bool | None
    segments: list[SegmentOut]
    e_ticket_number: str | None
    passenger_name: str | None
    passenger_id_masked: str | None
    buyer_name: str | None
    buyer_tax_id: str | None
    entity: uuid.UUID
    original_invoice_number: str | None
    original_invoice_id: uuid.UUID | None
    voided_by_id: uuid.UUID | None
    source: str
    renditions: list[RenditionOut]
    sha256: str
    status: str
    verification: str
    verification_message: str | None
    deduction_confirmed_on: dt.date | None
    warnings: list[WarningOut]
    owner: uuid.UUID | None
    uploaded_by: uuid.UUID
    uploaded_at: dt.datetime


Outcome = Literal["created", "rendition-added", "duplicate", "rejected"]


class BatchItem(BaseModel):
    file: str
    member: str | None = None
    outcome: Outcome
    invoice: InvoiceOut | None = None
    problem: dict[str, Any] | None = None


class BatchResult(BaseModel):
    results: list[BatchItem]
    counts: dict[str, int]


class BusinessTypeSetting(BaseModel):
    """Finance's reading of an invoice flagged `business-type-unclear`."""

    business_type: Literal["sale", "refund", "change", "difference"]
    # Into the 30-year audit log: no NUL, control or bidirectional-override characters.
    comment: Paragraph | None = None


class DeductionConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirmed_on: Day


class BulkDeductionConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_ids: BulkIds = Field(min_length=1, max_length=MAX_BULK_ITEMS)
    confirmed_on: Day
