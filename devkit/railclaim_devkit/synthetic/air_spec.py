"""The typed description of one synthetic air e-itinerary (电子发票（航空运输电子客票行程单）).

Field names follow the parser's air reading (`ParsedInvoice` with kind "air", `FlightSegment`),
so a test compares a parse with `spec.parsed_fields()` directly. Amounts follow DOMAIN §5: 票价
excludes VAT; the VAT base is 票价 + 燃油附加费; the fund and other taxes lie outside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from railclaim_devkit.synthetic.spec import BUSINESS_TYPE_LABELS, CENT, BusinessType

AIR_TAX_RATE = Decimal("0.09")
# Refund- and change-fee itineraries: the fee's rate is read from the file, never assumed; the
# generator uses the railway fee rate (DOMAIN §4), which is unconfirmed for air.
AIR_FEE_TAX_RATE = Decimal("0.06")
AIR_TITLE = "电子发票（航空运输电子客票行程单）"


@dataclass(frozen=True, slots=True)
class AirSegment:
    """One flight of the table (自 … / 至 …); the fields of the parser's `FlightSegment`.

    It equals any object carrying the same seven values (the parser's `FlightSegment` among
    them), so `spec.parsed_fields()` compares with a parse as it is.
    """

    carrier: str
    flight_number: str
    cabin: str
    travel_date: dt.date
    departure_time: dt.time
    departure_airport: str
    arrival_airport: str

    def __eq__(self, other: object) -> bool:
        missing = object()
        return all(getattr(other, name, missing) == getattr(self, name) for name in SEGMENT_FIELDS)


SEGMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(AirSegment))


@dataclass(frozen=True, slots=True)
class AirInvoiceSpec:
    """Every value of one air e-itinerary; a red-letter (红字) one has every amount negative.

    `tax_amount` is the printed VAT: carriers split tax-inclusive prices, so it may differ from
    9 % × (票价 + 燃油) by a cent (DOMAIN §5's sample: 35.505 printed 35.50).
    """

    invoice_number: str
    business_type: BusinessType
    issue_date: dt.date
    segments: tuple[AirSegment, ...]
    fare: Decimal
    fuel_surcharge: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    civil_aviation_fund: Decimal
    other_taxes: Decimal
    total_amount: Decimal
    e_ticket_number: str
    domestic: bool
    passenger_name: str
    passenger_id_masked: str
    buyer_name: str
    buyer_tax_id: str | None
    original_invoice_number: str | None
    # Generator-only: what the file shows beyond the parsed record.
    region: str = "11"
    fill_date: dt.date | None = None  # 填开日期, the day the ticket was filled out
    issuer: str = ""  # 填开单位, the carrier or a ticket agent

    def __post_init__(self) -> None:
        if not 1 <= len(self.segments) <= 4:
            raise ValueError("an itinerary holds one to four segments")

    @property
    def kind(self) -> str:
        return "air"

    @property
    def amount_excluding_tax(self) -> Decimal:
        """The VAT base: 票价 + 燃油附加费."""
        return self.fare + self.fuel_surcharge

    @property
    def first(self) -> AirSegment:
        return self.segments[0]

    @property
    def is_red_letter(self) -> bool:
        return self.total_amount < 0

    @property
    def is_personal_title(self) -> bool:
        return self.buyer_tax_id is None

    @property
    def business_type_label(self) -> str:
        return BUSINESS_TYPE_LABELS[self.business_type]

    @property
    def printed_fill_date(self) -> dt.date:
        return self.fill_date or self.issue_date

    def parsed_fields(self) -> dict[str, object]:
        """The values a parser reading the XBRL must return, keyed by `ParsedInvoice` field name.

        `segments` holds `AirSegment`s, which equal the parser's `FlightSegment`s of the same
        values; `seat_class`, `carriage`, `seat` and `train_number` are None for air.
        """
        return {
            "kind": "air",
            "invoice_number": self.invoice_number,
            "business_type": self.business_type,
            "issue_date": self.issue_date,
            "train_number": None,
            "seat_class": None,
            "carriage": None,
            "seat": None,
            "segments": self.segments,
            "travel_date": self.first.travel_date,
            "departure_time": self.first.departure_time,
            "departure_station": self.first.departure_airport,
            "arrival_station": self.first.arrival_airport,
            "fare": self.fare,
            "fuel_surcharge": self.fuel_surcharge,
            "amount_excluding_tax": self.amount_excluding_tax,
            "tax_rate": self.tax_rate,
            "tax_amount": self.tax_amount,
            "civil_aviation_fund": self.civil_aviation_fund,
            "other_taxes": self.other_taxes,
            "total_amount": self.total_amount,
            "e_ticket_number": self.e_ticket_number,
            "domestic": self.domestic,
            "passenger_name": self.passenger_name,
            "passenger_id_masked": self.passenger_id_masked,
            "buyer_name": self.buyer_name,
            "buyer_tax_id": self.buyer_tax_id,
            "original_invoice_number": self.original_invoice_number,
        }

    def face_fields(self) -> dict[str, object]:
        """The values printed on the face: all but the business type and the original number."""
        fields = self.parsed_fields()
        del fields["business_type"], fields["original_invoice_number"]
        return fields

    def segment_dicts(self) -> list[dict[str, object]]:
        return [dataclasses.asdict(segment) for segment in self.segments]


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def air_tax(fare: Decimal, fuel: Decimal, rate: Decimal = AIR_TAX_RATE) -> Decimal:
    """rate × (票价 + 燃油), half-up to the cent (the rule is unconfirmed: DOMAIN §5)."""
    return half_up((fare + fuel) * rate)


def split_inclusive(
    gross_fare: Decimal, gross_fuel: Decimal, rate: Decimal = AIR_TAX_RATE
) -> tuple[Decimal, Decimal, Decimal]:
    """(票价, 燃油, 税额) from tax-inclusive prices the way DOMAIN §5's sample adds up: each price
    divided by 1 + rate and rounded, the tax what is left. 360 + 70 → 330.28, 64.22, 35.50."""
    fare = half_up(gross_fare / (1 + rate))
    fuel = half_up(gross_fuel / (1 + rate))
    return fare, fuel, gross_fare + gross_fuel - fare - fuel


def total_of(fare: Decimal, fuel: Decimal, tax: Decimal, fund: Decimal, other: Decimal) -> Decimal:
    """合计 = 票价 + 燃油附加费 + 增值税税额 + 民航发展基金 + 其他税费."""
    return fare + fuel + tax + fund + other
