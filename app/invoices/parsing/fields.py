"""The invoice fields one source (XBRL or the printed face) yields, and shared value normalizers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.invoices.parsing.model import BusinessType, FlightSegment

# 售/退/改签/退差 as XBRL writes them; the face's fee wording maps through the same table.
BUSINESS_TYPES: dict[str, BusinessType] = {
    "售": "sale",
    "退": "refund",
    "退票": "refund",
    "退票费": "refund",
    "改签": "change",
    "改签费": "change",
    "改": "change",
    "退差": "difference",
}

_DATE = re.compile(
    r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?"
    r"|^\s*(\d{4})(\d{2})(\d{2})\s*$"  # 20250315, as some issuers' XBRL writes it
)
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})|^\s*(\d{2})(\d{2})\s*$")
_AMOUNT = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(slots=True)
class InvoiceFields:
    """Every field one source yields, `None` where the source does not say."""

    invoice_number: str | None = None
    business_type: BusinessType | None = None
    issue_date: dt.date | None = None
    train_number: str | None = None
    departure_station: str | None = None
    arrival_station: str | None = None
    travel_date: dt.date | None = None
    departure_time: dt.time | None = None
    seat_class: str | None = None
    carriage: str | None = None
    seat: str | None = None
    fare: Decimal | None = None
    amount_excluding_tax: Decimal | None = None
    tax_rate: Decimal | None = None
    tax_amount: Decimal | None = None
    e_ticket_number: str | None = None
    passenger_name: str | None = None
    passenger_id_masked: str | None = None
    buyer_name: str | None = None
    buyer_tax_id: str | None = None
    original_invoice_number: str | None = None
    # Air e-itineraries only (SPEC "Air travel"); a railway source leaves them None.
    segments: tuple[FlightSegment, ...] | None = None
    fuel_surcharge: Decimal | None = None
    civil_aviation_fund: Decimal | None = None
    other_taxes: Decimal | None = None
    total_amount: Decimal | None = None
    domestic: bool | None = None

    def present(self) -> dict[str, object]:
        """The fields this source states, by name."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(InvoiceFields))


def clean_text(value: str | None) -> str | None:
    """Strip a value; an empty string means the source leaves the field blank."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def strip_suffix(value: str | None, suffix: str) -> str | None:
    """Drop a trailing printed unit (`车`, `号`, `站`): `05车` → `05`, `08A号` → `08A`.

    Only a trailing one: a berth keeps its inner 号 (`11号下铺`), as the face prints it.
    """
    value = clean_text(value)
    if value is not None and value.endswith(suffix):
        value = value[: -len(suffix)].rstrip() or None
    return value


def parse_date(value: str | None) -> dt.date | None:
    """`2025-03-20`, `2025年03月20日` or `2025/3/20`; anything else is not a date."""
    match = _DATE.match(value or "")
    if match is None:
        return None
    year, month, day = (part for part in match.groups() if part is not None)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_time(value: str | None) -> dt.time | None:
    match = _TIME.match(value or "")
    if match is None:
        return None
    hour, minute = (part for part in match.groups() if part is not None)
    try:
        return dt.time(int(hour), int(minute))
    except ValueError:
        return None


def parse_amount(value: str | None) -> Decimal | None:
    """A decimal amount (`553.00`, `-27.50`, `1,234.00`); non-numbers are absent, not zero."""
    text = (value or "").strip().replace(",", "").replace("¥", "").replace("￥", "")
    text = text.removesuffix("元").strip()
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def parse_rate(value: str | None) -> Decimal | None:
    """`0.09`, or `9%` or a bare `9` as some issuers may write it (no rate exceeds 100 %, so a
    number above 1 is a percentage)."""
    text = (value or "").strip()
    if text.endswith("%"):
        percent = parse_amount(text[:-1])
        return None if percent is None else percent / 100
    rate = parse_amount(text)
    if rate is not None and 1 < rate <= 100:
        return rate / 100
    return rate


def business_type_of(label: str | None) -> BusinessType | None:
    return BUSINESS_TYPES.get((label or "").strip())
