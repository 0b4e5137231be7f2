"""Request and response bodies of the claim, substitute and claim-policy endpoints."""

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
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.claims.policy import DEFAULT_POLICY
from app.invoices.cabins import DEFAULT_CABIN_LETTERS
from app.kit.bulk import MAX_BULK_ITEMS, BulkIds
from app.kit.dates import Day
from app.kit.money import Money
from app.kit.ranges import not_below
from app.kit.text import Name, Paragraph

ClaimState = Literal["draft", "submitted", "approved", "booked", "paid"]


class ItemRef(BaseModel):
    """One document to claim: an invoice or a paper voucher, not both."""

    model_config = ConfigDict(extra="forbid")

    invoice_id: uuid.UUID | None = None
    paper_voucher_id: uuid.UUID | None = None
    justification: Paragraph | None = None

    @model_validator(mode="after")
    def _exactly_one_document(self) -> ItemRef:
        if (self.invoice_id is None) == (self.paper_voucher_id is None):
            raise PydanticCustomError(
                "one_document", "give exactly one of invoice_id and paper_voucher_id"
            )
        return self

    @property
    def document_id(self) -> uuid.UUID:
        document = self.invoice_id or self.paper_voucher_id
        assert document is not None
        return document


class ClaimCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Name
    purpose: Paragraph
    items: list[ItemRef] = Field(default_factory=list, max_length=200)
    entity: uuid.UUID | None = None

    @field_validator("items")
    @classmethod
    def _each_document_once(cls, items: list[ItemRef]) -> list[ItemRef]:
        documents = [i.document_id for i in items]
        if len(documents) != len(set(documents)):
            raise PydanticCustomError("document_twice", "a document appears twice")
        return items


class TransitionNote(BaseModel):
    """Optional body of submit and withdraw."""

    model_config = ConfigDict(extra="forbid")

    comment: Paragraph | None = None


class ApproveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: Paragraph | None = None
    acknowledge_warnings: bool = False


class BulkApproveBody(ApproveBody):
    claim_ids: BulkIds = Field(min_length=1, max_length=MAX_BULK_ITEMS)


class ClaimPatch(BaseModel):
    """PATCH /claims/{id} of a draft: the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    title: Name | None = None
    purpose: Paragraph | None = None

    @model_validator(mode="after")
    def _something_sent_and_not_null(self) -> ClaimPatch:
        if not self.model_fields_set:
            raise ValueError("send title and/or purpose")
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("title and purpose cannot be null")
        return self


class JustificationBody(BaseModel):
    """PATCH /claims/{id}/items/{item_id}: null clears the justification."""

    model_config = ConfigDict(extra="forbid")

    justification: Paragraph | None


class ReassignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approver_id: uuid.UUID
    level: int | None = Field(default=None, ge=1, le=2, description="Default: the awaited level")


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Paragraph


class FindingOut(BaseModel):
    code: str
    severity: Literal["block", "warn"]
    message: str
    item_id: uuid.UUID | None = None
    blocks_booking: bool = False


class ClaimItemOut(BaseModel):
    id: uuid.UUID
    kind: Literal["invoice", "paper"]
    invoice_id: uuid.UUID | None
    paper_voucher_id: uuid.UUID | None
    justification: str | None
    amount: Money
    number: str
    business_type: str
    # railway or air; `flight_number` names an itinerary's flights (`CA1831/MU5101`).
    travel_kind: Literal["railway", "air"]
    travel_date: dt.date | None
    train_number: str | None
    flight_number: str | None
    departure_station: str | None
    arrival_station: str | None
    seat_class: str | None
    passenger_name: str | None
    status: str


class AcknowledgedWarning(BaseModel):
    code: str
    item_id: uuid.UUID | None = None


class ApprovalOut(BaseModel):
    level: int
    approver: uuid.UUID
    on_behalf_of: uuid.UUID | None
    at: dt.datetime
    comment: str | None
    acknowledged_warnings: list[AcknowledgedWarning]


class HistoryOut(BaseModel):
    action: str
    actor: uuid.UUID
    at: dt.datetime
    comment: str | None


class RejectionOut(BaseModel):
    reason: str
    by: uuid.UUID | None
    at: dt.datetime | None


class ClaimOut(BaseModel):
    id: uuid.UUID
    number: str = Field(description="BX-<YYYYMM>-<nnnn>, unique per entity")
    entity: uuid.UUID
    state: ClaimState
    claimant: uuid.UUID
    title: str
    purpose: str
    items: list[ClaimItemOut]
    total: Money
    findings: list[FindingOut]
    required_levels: int
    awaiting_approver: uuid.UUID | None
    approvals: list[ApprovalOut]
    last_rejection: RejectionOut | None
    voucher_ids: list[uuid.UUID]
    history: list[HistoryOut]
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None


class SubstituteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Left out: the caller names their own substitute. Admins may name anyone's.
    approver_id: uuid.UUID | None = None
    substitute_id: uuid.UUID
    starts_on: Day
    ends_on: Annotated[Day, not_below("starts_on", "date_range_reversed", "is before starts_on")]


class SubstituteOut(BaseModel):
    id: uuid.UUID
    approver: uuid.UUID
    substitute: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date
    active: bool
    created_by: uuid.UUID
    created_at: dt.datetime


def _letters(value: str) -> str:
    letters = value.strip().upper()
    if not all("A" <= c <= "Z" for c in letters) or len(set(letters)) != len(letters):
        raise PydanticCustomError("cabin_letters", "must be distinct letters A-Z")
    return letters


CabinLetterText = Annotated[str, Field(max_length=26), AfterValidator(_letters)]


class CabinClassesIn(BaseModel):
    """Which 舱位 letters book which cabin; a letter in none reads as unknown (no finding)."""

    model_config = ConfigDict(extra="forbid")

    economy: CabinLetterText = DEFAULT_CABIN_LETTERS.economy
    business: CabinLetterText = DEFAULT_CABIN_LETTERS.business
    first: CabinLetterText = DEFAULT_CABIN_LETTERS.first

    @model_validator(mode="after")
    def _each_letter_once(self) -> CabinClassesIn:
        seen = self.economy + self.business + self.first
        if len(set(seen)) != len(seen):
            raise PydanticCustomError("cabin_letters", "a letter may name only one cabin class")
        return self


class CabinClassesOut(BaseModel):
    economy: str
    business: str
    first: str


class ClaimPolicyIn(BaseModel):
    """The whole policy of an entity; a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    approval_threshold: Decimal = Field(
        default=DEFAULT_POLICY.approval_threshold,
        ge=0,
        le=Decimal("999999999999.99"),
        decimal_places=2,
    )
    fallback_approver_id: uuid.UUID | None = None
    first_class_min_grade: int = Field(default=DEFAULT_POLICY.first_class_min_grade, ge=0, le=99)
    # validate_default: the order check must also run when only the first-class grade is sent.
    business_class_min_grade: Annotated[
        int,
        not_below("first_class_min_grade", "grades_out_of_order", "is below first_class_min_grade"),
    ] = Field(default=DEFAULT_POLICY.business_class_min_grade, ge=0, le=99, validate_default=True)
    late_submission_days: int = Field(default=DEFAULT_POLICY.late_submission_days, ge=1, le=3650)
    segregation_of_duties: bool = DEFAULT_POLICY.segregation_of_duties
    # Air booking-class letters per cabin (README "Air travel"); left out: the defaults.
    cabin_classes: CabinClassesIn = Field(default_factory=CabinClassesIn)


class ClaimPolicyOut(BaseModel):
    entity: uuid.UUID
    approval_threshold: Money
    fallback_approver_id: uuid.UUID | None
    first_class_min_grade: int
    business_class_min_grade: int
    late_submission_days: int
    segregation_of_duties: bool
    cabin_classes: CabinClassesOut
    updated_at: dt.datetime | None
