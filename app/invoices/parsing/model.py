"""The parser's result types, refusals and safety limits: the parsing core's stable interface."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

BusinessType = Literal["sale", "refund", "change", "difference"]
Source = Literal["xbrl", "text"]
RenditionKind = Literal["pdf", "ofd", "xml"]
InvoiceKind = Literal["railway", "air"]


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the parser noticed that does not stop the invoice from being read."""

    code: str
    message: str
    field: str | None = None


def extra_pages(count: int) -> tuple[Finding, ...]:
    """A file of several pages is read from its first: said, never silent (a PDF of invoices
    merged by a print tool holds one per page, and only the first would be claimed)."""
    if count <= 1:
        return ()
    message = (
        f"the file has {count} pages; the invoice was read from the first only: upload each "
        "invoice as a file of its own"
    )
    return (Finding("extra-pages", message),)


@dataclass(frozen=True, slots=True)
class Rendition:
    """One file form of an invoice: its exact bytes, as received, for content-addressed storage."""

    kind: RenditionKind
    filename: str
    sha256: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class FlightSegment:
    """One printed row pair of an air e-itinerary's flight table (自 … / 至 …)."""

    carrier: str | None
    flight_number: str
    cabin: str | None  # the printed booking-class letter; the entity's table names its class
    travel_date: dt.date | None
    departure_time: dt.time | None
    departure_airport: str | None
    arrival_airport: str | None


@dataclass(frozen=True, slots=True)
class ParsedInvoice:
    """One invoice read from one or more renditions; field names follow the SPEC's invoice JSON."""

    invoice_number: str
    business_type: BusinessType
    issue_date: dt.date | None
    train_number: str | None
    departure_station: str | None
    arrival_station: str | None
    travel_date: dt.date | None
    departure_time: dt.time | None
    seat_class: str | None
    carriage: str | None
    seat: str | None
    fare: Decimal
    amount_excluding_tax: Decimal | None
    tax_rate: Decimal | None
    tax_amount: Decimal | None
    e_ticket_number: str | None
    passenger_name: str | None
    passenger_id_masked: str | None
    buyer_name: str | None
    buyer_tax_id: str | None
    original_invoice_number: str | None
    source: Source
    renditions: tuple[Rendition, ...]
    findings: tuple[Finding, ...] = ()
    xbrl: bytes | None = field(default=None, repr=False)
    # Air e-itineraries (SPEC "Air travel"); a railway invoice keeps the defaults. For air the
    # first segment also fills travel_date, departure_time and the two stations, and `fare` is
    # 票价 *excluding* VAT; `total_amount` is 价税合计 (for railway it equals `fare`).
    kind: InvoiceKind = "railway"
    segments: tuple[FlightSegment, ...] = ()
    fuel_surcharge: Decimal | None = None
    civil_aviation_fund: Decimal | None = None
    other_taxes: Decimal | None = None
    total_amount: Decimal | None = None
    domestic: bool | None = None

    @property
    def total(self) -> Decimal:
        """价税合计: what the traveller paid, and what a claim reimburses."""
        return self.fare if self.total_amount is None else self.total_amount

    @property
    def is_red_letter(self) -> bool:
        """A 红字 reversal; a 退差 (fare difference) invoice is negative by nature, not one."""
        return self.fare < 0 and self.business_type != "difference"

    @property
    def sha256(self) -> str:
        """The SHA-256 of the first rendition received, the invoice's identity as a file."""
        return self.renditions[0].sha256


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Safety limits that bound the time and memory any input may cost."""

    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 5
    max_zip_members: int = 2000
    max_zip_total_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: int = 200
    max_zip_depth: int = 1
    max_stream_bytes: int = 10 * 1024 * 1024
    # A parsed XML tree costs up to ~25x its text (a file of `<a/>`); an XBRL instance or an OFD
    # part is a few KB, so XML gets a far smaller allowance than other streams.
    max_xml_bytes: int = 1024 * 1024
    time_budget_seconds: float = 5.0

    @property
    def xml_limit(self) -> int:
        """The most XML bytes parsed at once: never more than any stream may have."""
        return min(self.max_xml_bytes, self.max_stream_bytes)


class ParseError(Exception):
    """Base of every refusal; `code` is the problem slug the service maps it to."""

    code: str = "unreadable-file"

    def __init__(self, message: str, *, member: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.member = member


class UnreadableFile(ParseError):
    code = "unreadable-file"


class EncryptedFile(ParseError):
    code = "encrypted-file"


class NotTravelInvoice(ParseError):
    """Neither a railway e-invoice nor an air e-itinerary (nor their XBRL)."""

    code = "not-a-travel-invoice"


class UnsupportedFormat(ParseError):
    code = "unsupported-format"


class TooLarge(ParseError):
    code = "too-large"
