"""Response and request bodies of the ledger endpoints (voucher JSON per SPEC)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.bulk import MAX_BULK_ITEMS, BulkIds
from app.kit.dates import Day
from app.kit.money import Money
from app.kit.text import ShortText


class LineOut(BaseModel):
    line_no: int
    account_code: str
    account_name: str
    debit: Money
    credit: Money
    memo: str
    department: str | None
    cost_centre: str | None
    invoice_id: uuid.UUID | None
    paper_voucher_id: uuid.UUID | None
    tax_basis: Literal["invoice", "computed"] | None = Field(
        default=None,
        description="On input-VAT lines: the invoice's own tax (XBRL TaxAmount), or computed "
        "as fare ÷ 1.09 × 9 % (paper vouchers, sales read from the face only)",
    )


class VoucherOut(BaseModel):
    id: uuid.UUID
    number: str
    entity: uuid.UUID
    period: str
    date: dt.date
    kind: str
    claim_id: uuid.UUID | None
    reverses_id: uuid.UUID | None
    attachments_count: int
    prepared_by: uuid.UUID
    approved_by: uuid.UUID | None
    lines: list[LineOut]
    total: Money
    total_in_words: str
    payment_reference: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PeriodOut(BaseModel):
    entity: uuid.UUID
    period: str
    status: str
    vouchers: int
    closed_at: dt.datetime | None
    closed_by: uuid.UUID | None


class ReverseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reversal_date: Day | None = Field(
        default=None, description="Business date of the reversal (default: today, Asia/Shanghai)"
    )
    reason: ShortText


class VatFigures(BaseModel):
    count: int
    fare: Money
    tax: Money


class VatKindFigures(BaseModel):
    """One row of 附列资料（二） 旅客运输服务: railway (铁路) or air (航空). For air `fare` is
    票价 + 燃油附加费, the base the tax was figured on (an e-itinerary's excludes the VAT, a
    paper itinerary's includes it)."""

    kind: Literal["railway", "air"]
    label: str
    e_invoices: VatFigures
    paper_vouchers: VatFigures
    total: VatFigures


class InputVatReport(BaseModel):
    entity: uuid.UUID
    period: str
    e_invoices: VatFigures
    paper_vouchers: VatFigures
    total: VatFigures
    # The same figures split by kind: 铁路 first, then 航空.
    rows: list[VatKindFigures]


class BookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    booking_date: Day | None = Field(
        default=None, description="Business date of the booking (default: today, Asia/Shanghai)"
    )


class PayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paid_on: Day
    reference: ShortText


class BulkBookRequest(BookRequest):
    claim_ids: BulkIds = Field(min_length=1, max_length=MAX_BULK_ITEMS)


class BulkPayRequest(PayRequest):
    claim_ids: BulkIds = Field(min_length=1, max_length=MAX_BULK_ITEMS)
