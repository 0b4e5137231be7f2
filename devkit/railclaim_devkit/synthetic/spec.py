"""The typed description of one synthetic invoice: what the generator draws, the parser reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

BusinessType = Literal["sale", "refund", "change", "difference"]

# TypeOfBusiness text in the XBRL and the 查验 answer.
BUSINESS_TYPE_LABELS: dict[BusinessType, str] = {
    "sale": "售",
    "refund": "退",
    "change": "改签",
    "difference": "退差",
}

SALE_TAX_RATE = Decimal("0.09")
# Refund- and change-fee invoices were seen at 6 %; a parser must read the rate, never assume it.
FEE_TAX_RATE = Decimal("0.06")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class InvoiceSpec:
    """Every value of one invoice: the first 21 fields mirror `ParsedInvoice`, the rest shape files.

    `carriage` and `seat` are bare ("05", "08A", "11号下铺"): the face and XBRL add 车 / 号.
    `seat` is None for 无座. A red-letter (红字) invoice has negative fare, amount and tax.
    """

    invoice_number: str
    business_type: BusinessType
    issue_date: dt.date
    train_number: str
    departure_station: str
    arrival_station: str
    travel_date: dt.date
    departure_time: dt.time
    seat_class: str
    carriage: str | None
    seat: str | None
    fare: Decimal
    amount_excluding_tax: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    e_ticket_number: str | None
    passenger_name: str
    passenger_id_masked: str
    buyer_name: str
    buyer_tax_id: str | None
    original_invoice_number: str | None
    # Generator-only: what the file shows beyond the parsed record.
    departure_pinyin: str = ""
    arrival_pinyin: str = ""
    region: str = "11"
    issue_party: str = ""
    # Extra wording some faces carry, e.g. 始发改签 on the sale invoice of a changed ticket.
    face_marker: str | None = None

    @property
    def is_red_letter(self) -> bool:
        return self.fare < 0

    @property
    def is_personal_title(self) -> bool:
        return self.buyer_tax_id is None

    @property
    def business_type_label(self) -> str:
        return BUSINESS_TYPE_LABELS[self.business_type]

    def parsed_fields(self) -> dict[str, object]:
        """The values a parser reading the XBRL must return, keyed by `ParsedInvoice` field name."""
        return {name: getattr(self, name) for name in PARSED_FIELDS}

    def face_fields(self) -> dict[str, object]:
        """The values printed on the face, so a text-only parse can be compared."""
        return {name: getattr(self, name) for name in FACE_FIELDS}


# Field names shared with `ParsedInvoice` (every data field of the invoice record).
PARSED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(InvoiceSpec))[:21]
# The face prints neither the tax split, nor the rate, nor the original invoice number.
FACE_FIELDS: tuple[str, ...] = tuple(
    name
    for name in PARSED_FIELDS
    if name
    not in {
        "business_type",
        "amount_excluding_tax",
        "tax_rate",
        "tax_amount",
        "original_invoice_number",
    }
)


def split_tax(fare: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(amount excluding tax, tax) of a tax-inclusive fare, tax rounded half-up to the cent.

    Half-up on a negative amount rounds away from zero, so a red-letter split mirrors its blue one.
    """
    tax = (fare * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return fare - tax, tax


def money(amount: Decimal) -> str:
    """Two-decimal text as the XBRL and the face print it ("553.00", "-553.00")."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"
