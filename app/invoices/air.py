"""What an air e-itinerary adds to an invoice row: its amounts beyond the fare and its flights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from app.invoices.models import Invoice, PaperVoucher
from app.invoices.parsing import ParsedInvoice
from app.invoices.parsing.model import FlightSegment

SEGMENT_KEYS = (
    "carrier",
    "flight_number",
    "cabin",
    "travel_date",
    "departure_time",
    "departure_airport",
    "arrival_airport",
)


def kind_columns(parsed: ParsedInvoice) -> dict[str, Any]:
    """The invoice row's kind, 合计 and air columns (None and [] for a railway invoice)."""
    return {
        "kind": parsed.kind,
        "total_amount": parsed.total,
        "fuel_surcharge": parsed.fuel_surcharge,
        "civil_aviation_fund": parsed.civil_aviation_fund,
        "other_taxes": parsed.other_taxes,
        "domestic": parsed.domestic,
        "segments": [segment_json(s) for s in parsed.segments],
    }


def segment_json(segment: FlightSegment) -> dict[str, str | None]:
    """One segment as stored: plain strings, ISO dates and HH:MM:SS times."""
    return {
        "carrier": segment.carrier,
        "flight_number": segment.flight_number,
        "cabin": segment.cabin,
        "travel_date": _iso(segment.travel_date),
        "departure_time": _iso(segment.departure_time),
        "departure_airport": segment.departure_airport,
        "arrival_airport": segment.arrival_airport,
    }


def flight_numbers(segments: list[dict[str, str | None]]) -> str | None:
    """The flights of an itinerary as lists and memos show them: `CA1831/MU5101`."""
    numbers = [s["flight_number"] for s in segments if s.get("flight_number")]
    return "/".join(n for n in numbers if n) or None


def _iso(value: dt.date | dt.time | None) -> str | None:
    return None if value is None else value.isoformat()


def paper_total(voucher: PaperVoucher) -> Decimal:
    """What a paper voucher's traveller paid: its fare, and for air 燃油 + 基金 + 其他 beside it."""
    extras = (voucher.fuel_surcharge, voucher.civil_aviation_fund, voucher.other_taxes)
    return voucher.fare + sum((x for x in extras if x is not None), Decimal("0.00"))


def reimbursed_amount(document: Invoice | PaperVoucher) -> Decimal:
    """What a claim reimburses for a document: its 合计 (the fare for railway)."""
    if isinstance(document, PaperVoucher):
        return paper_total(document)
    return document.fare if document.total_amount is None else document.total_amount


def route_number(document: Invoice | PaperVoucher) -> str | None:
    """The train (车次) or the flights (航班) of a document, as lists and memos show them."""
    if document.kind != "air":
        return document.train_number or None
    if isinstance(document, PaperVoucher):
        return document.flight_number
    return flight_numbers(document.segments)
