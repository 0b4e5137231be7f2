"""Draw realistic `AirInvoiceSpec`s from a seeded `random.Random`, and derive linked itineraries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from railclaim_devkit.synthetic import air_values, identifiers
from railclaim_devkit.synthetic.air_spec import (
    AIR_FEE_TAX_RATE,
    AIR_TAX_RATE,
    AirInvoiceSpec,
    AirSegment,
    air_tax,
    split_inclusive,
    total_of,
)
from railclaim_devkit.synthetic.builder import random_company_name, random_person_name
from railclaim_devkit.synthetic.spec import CENT, BusinessType

# 2024年第9号: e-itineraries from 2024-12-01.
FIRST_AIR_DAY = dt.date(2024, 12, 1)
# The channel digit of an air 发票号码 is unobserved; railway numbers carry 9 (12306).
AIR_CHANNEL = "1"
AIR_BUSINESS_TYPES: tuple[BusinessType, ...] = ("sale", "refund", "change")
# The ticket number's three-digit airline prefix (IATA accounting code) + ten digits.
AIRLINE_PREFIXES: dict[str, str] = {
    "CA": "999",
    "MU": "781",
    "CZ": "784",
    "HU": "880",
    "MF": "731",
    "3U": "876",
    "ZH": "479",
    "SC": "324",
    "FM": "774",
    "9C": "089",
    "HO": "018",
    "JD": "898",
    "GS": "826",
}
FEE_SHARES: tuple[str, ...] = ("0.05", "0.10", "0.20", "0.30", "0.50")
_SPEC_FIELDS = frozenset(f.name for f in dataclasses.fields(AirInvoiceSpec))
_ZERO = Decimal("0.00")
# International air transport is zero-rated (零税率).
_ZERO_RATE = Decimal("0.00")
T = TypeVar("T")


def random_air_spec(
    rng: random.Random,
    *,
    red_letter: bool = False,
    personal_buyer: bool = False,
    segment_count: int | None = None,
    **overrides: Any,
) -> AirInvoiceSpec:
    """A plausible itinerary; any `AirInvoiceSpec` field may be pinned by keyword.

    Derived values follow pinned ones: the tax follows `fare`/`fuel_surcharge`/`tax_rate`, the
    total follows the parts, the number's year follows `issue_date`. `segment_count` (1-4) fixes
    the flights drawn; `red_letter` negates every amount and names an original. `domestic=False`
    draws an international trip: zero-rated (0 %), the 90-yuan fund once, foreign taxes as
    其他税费 (never drawn unpinned: DOMAIN §5 describes domestic itineraries).
    """
    unknown = set(overrides) - _SPEC_FIELDS
    if unknown:
        raise TypeError(f"not AirInvoiceSpec fields: {sorted(unknown)}")
    pinned: dict[str, Any] = dict(overrides)

    def pick(name: str, draw: Callable[[], T]) -> T:
        if name not in pinned:
            pinned[name] = draw()
        result: T = pinned[name]
        return result

    kind = pick("business_type", lambda: rng.choices(AIR_BUSINESS_TYPES, weights=(85, 9, 6))[0])
    domestic = pick("domestic", lambda: True)
    segments = pick(
        "segments", lambda: draw_segments(rng, segment_count, international=not domestic)
    )
    region = pick("region", lambda: _region_of(segments[0].departure_airport))
    # A sale is invoiced after its last flight; a fee around the planned first one.
    flown = segments[-1 if kind == "sale" else 0].travel_date
    issue = pick("issue_date", lambda: _draw_issue_date(rng, kind, flown))
    pick("fill_date", lambda: max(FIRST_AIR_DAY, segments[0].travel_date - _days(rng, 0, 30)))
    _pick_amounts(rng, pick, kind, segments, domestic, -1 if red_letter else 1)
    pick(
        "invoice_number",
        lambda: identifiers.random_invoice_number(rng, issue, region, AIR_CHANNEL),
    )
    linked = red_letter or kind != "sale"
    pick(
        "original_invoice_number",
        lambda: _random_number(rng, segments[0].travel_date, region) if linked else None,
    )
    pick("e_ticket_number", lambda: random_air_ticket_number(rng, segments[0].flight_number))
    _pick_people(rng, pick, personal_buyer)
    pick("issuer", lambda: _draw_issuer(rng, segments[0].carrier))
    return AirInvoiceSpec(**pinned)


def _pick_people(
    rng: random.Random, pick: Callable[[str, Callable[[], Any]], Any], personal_buyer: bool
) -> None:
    """The passenger, and the buyer: a company with its USCC, or the passenger (personal title)."""
    passenger = pick("passenger_name", lambda: random_person_name(rng))
    pick("passenger_id_masked", lambda: identifiers.masked_id_number(rng))
    if personal_buyer:
        pick("buyer_name", lambda: passenger)
        pick("buyer_tax_id", lambda: None)
    else:
        pick("buyer_name", lambda: random_company_name(rng))
        pick("buyer_tax_id", lambda: identifiers.random_uscc(rng))


def domain_sample_air_spec(**overrides: Any) -> AirInvoiceSpec:
    """DOMAIN §5's sample itinerary: CNY 330.28 / 64.22 / 9% / 35.50 / 50.00 / 0.00 / 480.00.

    One flight CA1831 北京首都 → 上海虹桥 (Y, 2025-03-15 08:30), issued 2025-03-20 to a company;
    the workflow tests' hand-computed voucher (Dr 6602.03 444.50, 2221.01.01 35.50) reads it.
    """
    segment = AirSegment(
        carrier="中国国际航空",
        flight_number="CA1831",
        cabin="Y",
        travel_date=dt.date(2025, 3, 15),
        departure_time=dt.time(8, 30),
        departure_airport="北京首都",
        arrival_airport="上海虹桥",
    )
    fields: dict[str, Any] = {
        "invoice_number": "25111000000012345678",
        "business_type": "sale",
        "issue_date": dt.date(2025, 3, 20),
        "segments": (segment,),
        "fare": Decimal("330.28"),
        "fuel_surcharge": Decimal("64.22"),
        "tax_rate": AIR_TAX_RATE,
        "tax_amount": Decimal("35.50"),
        "civil_aviation_fund": Decimal("50.00"),
        "other_taxes": Decimal("0.00"),
        "total_amount": Decimal("480.00"),
        "e_ticket_number": "9991234567890",
        "domestic": True,
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
        "buyer_name": "北京示例科技有限公司",
        "buyer_tax_id": identifiers.uscc_with_check_digit("91110108MA01ABCD1"),
        "original_invoice_number": None,
        "region": "11",
        "fill_date": dt.date(2025, 3, 1),
        "issuer": "中国国际航空",
    }
    fields.update(overrides)
    return AirInvoiceSpec(**fields)


def air_red_letter_of(blue: AirInvoiceSpec, rng: random.Random) -> AirInvoiceSpec:
    """The 红字 itinerary reversing `blue`: new number, amounts negated, `blue` as original."""
    issue = blue.issue_date + _days(rng, 0, 30)
    reversed_amounts: dict[str, Any] = {
        "fare": -blue.fare,
        "fuel_surcharge": -blue.fuel_surcharge,
        "tax_amount": -blue.tax_amount,
        "civil_aviation_fund": -blue.civil_aviation_fund,
        "other_taxes": -blue.other_taxes,
        "total_amount": -blue.total_amount,
    }
    return dataclasses.replace(
        blue,
        invoice_number=identifiers.random_invoice_number(rng, issue, blue.region, AIR_CHANNEL),
        issue_date=issue,
        original_invoice_number=blue.invoice_number,
        **reversed_amounts,
    )


def air_fee_itinerary_for(
    sale: AirInvoiceSpec, rng: random.Random, kind: BusinessType
) -> AirInvoiceSpec:
    """The refund- or change-fee itinerary of `sale`'s ticket: same flights, one fee as 票价,
    taxed at the fee rate, no fuel, fund or other taxes; it may precede the planned flight."""
    if kind not in ("refund", "change"):
        raise ValueError("fee itineraries are refunds or changes")
    flight = sale.first.travel_date
    issue = max(FIRST_AIR_DAY, flight - _days(rng, 0, 10))
    gross = abs(sale.total_amount) * Decimal(rng.choice(FEE_SHARES))
    fee, _, tax = split_inclusive(
        max(Decimal(10), gross.quantize(Decimal(1))), _ZERO, AIR_FEE_TAX_RATE
    )
    return dataclasses.replace(
        sale,
        business_type=kind,
        invoice_number=identifiers.random_invoice_number(rng, issue, sale.region, AIR_CHANNEL),
        issue_date=issue,
        fare=fee,
        fuel_surcharge=_ZERO,
        tax_rate=AIR_FEE_TAX_RATE,
        tax_amount=tax,
        civil_aviation_fund=_ZERO,
        other_taxes=_ZERO,
        total_amount=fee + tax,
        original_invoice_number=sale.invoice_number,
    )


def random_air_ticket_number(rng: random.Random, flight_number: str) -> str:
    """A 13-digit 电子客票号码: the carrier's three-digit prefix and ten digits."""
    prefix = AIRLINE_PREFIXES.get(flight_number[:2], "999")
    return prefix + "".join(rng.choice("0123456789") for _ in range(10))


def draw_segments(
    rng: random.Random, count: int | None = None, *, international: bool = False
) -> tuple[AirSegment, ...]:
    """One to four flights of one trip: one-way, round trip or with connections, in time order;
    an international trip's far end lies abroad."""
    if count is None:
        count = rng.choices((1, 2, 3, 4), weights=(70, 22, 5, 3))[0]
    if not 1 <= count <= 4:
        raise ValueError("an itinerary holds one to four segments")
    round_trip = count % 2 == 0 and rng.random() < 0.7
    stops = _draw_route(rng, count, round_trip)
    if international:
        stops[count // 2 if round_trip else count] = rng.choice(air_values.FOREIGN_AIRPORTS)
    cabin_class = rng.choices(*zip(*air_values.CABIN_WEIGHTS.items(), strict=True))[0]
    carrier = rng.choice(air_values.CARRIERS)
    day = FIRST_AIR_DAY + _days(rng, 0, 700)
    when = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.choice(range(0, 60, 5))))
    segments = []
    for index in range(count):
        if index and rng.random() < 0.15:
            carrier = rng.choice(air_values.CARRIERS)
        segments.append(
            AirSegment(
                carrier=carrier.name,
                flight_number=f"{carrier.code}{rng.randint(101, 9899)}",
                cabin=rng.choice(air_values.CABIN_LETTERS[cabin_class]),
                travel_date=when.date(),
                departure_time=when.time(),
                departure_airport=stops[index],
                arrival_airport=stops[index + 1],
            )
        )
        when = _next_departure(rng, when, turnaround=round_trip and index + 1 == count // 2)
    return tuple(segments)


def _draw_route(rng: random.Random, count: int, round_trip: bool) -> list[str]:
    names = [airport.name for airport in air_values.AIRPORTS]
    if round_trip:
        outward = rng.sample(names, count // 2 + 1)
        return outward + outward[-2::-1]
    return rng.sample(names, count + 1)


def _next_departure(rng: random.Random, when: dt.datetime, *, turnaround: bool) -> dt.datetime:
    # A connection leaves a few hours later (maybe the next day); a return flight days later.
    if turnaround:
        later = when + dt.timedelta(days=rng.randint(1, 10))
        return later.replace(hour=rng.randint(6, 21), minute=rng.choice(range(0, 60, 5)))
    return when + dt.timedelta(minutes=rng.randint(24, 72) * 5)


def _pick_amounts(
    rng: random.Random,
    pick: Callable[[str, Callable[[], Any]], Any],
    kind: BusinessType,
    segments: tuple[AirSegment, ...],
    domestic: bool,
    sign: int,
) -> None:
    """Drawn amounts carry `sign` (-1: red-letter); pinned ones stay as given, derived ones
    (the tax of a pinned fare, the total) follow them."""
    fee_kind = kind in ("refund", "change")
    sale_rate = AIR_TAX_RATE if domestic else _ZERO_RATE
    rate = pick("tax_rate", lambda: AIR_FEE_TAX_RATE if fee_kind else sale_rate)
    gross_fare, gross_fuel = _draw_gross(rng, segments, fee_kind)
    fare, fuel, tax = split_inclusive(sign * gross_fare, sign * gross_fuel, rate)
    if abs(tax - (fare + fuel) * rate) > CENT:
        tax = air_tax(fare, fuel, rate)  # keep within the cent the arithmetic check allows
    drawn = (fare, fuel)
    fare = pick("fare", lambda: drawn[0])
    fuel = pick("fuel_surcharge", lambda: drawn[1])
    # A pinned fare or fuel surcharge takes the plain rule; drawn ones keep the carrier's split.
    tax = pick("tax_amount", lambda: tax if (fare, fuel) == drawn else air_tax(fare, fuel, rate))
    fund = pick("civil_aviation_fund", lambda: sign * _fund(segments, domestic, fee_kind))
    other = pick("other_taxes", lambda: sign * _draw_other_taxes(rng, fee_kind, domestic))
    pick("total_amount", lambda: total_of(fare, fuel, tax, fund, other))


def _draw_gross(
    rng: random.Random, segments: tuple[AirSegment, ...], fee_kind: bool
) -> tuple[Decimal, Decimal]:
    cabin_class = _cabin_class(segments[0].cabin)
    low, high = air_values.FULL_FARE_RANGE
    total = 0
    for _ in segments:
        full = low * (high / low) ** rng.random() * air_values.CABIN_FACTORS[cabin_class]
        discount = rng.randint(6, 20) * 0.05 if cabin_class == "economy" else 1.0
        total += max(100, round(full * discount / 10) * 10)
    if fee_kind:
        fee = max(10, round(total * float(rng.choice(FEE_SHARES))))
        return Decimal(fee), _ZERO
    fuel = sum(rng.choice(air_values.FUEL_SURCHARGES) for _ in segments)
    return Decimal(total), Decimal(fuel)


def _fund(segments: tuple[AirSegment, ...], domestic: bool, fee_kind: bool) -> Decimal:
    if fee_kind:
        return _ZERO
    if domestic:
        return Decimal(air_values.DEVELOPMENT_FUND_PER_SEGMENT * len(segments)) + _ZERO
    return Decimal(air_values.DEVELOPMENT_FUND_INTERNATIONAL) + _ZERO


def _draw_other_taxes(rng: random.Random, fee_kind: bool, domestic: bool) -> Decimal:
    if not domestic and not fee_kind:
        return Decimal(rng.randint(*air_values.FOREIGN_TAX_RANGE)) + _ZERO
    if fee_kind or rng.random() < 0.9:
        return _ZERO
    return Decimal(rng.choice((10, 20, 30, 90))) + _ZERO


def _cabin_class(letter: str) -> str:
    classes = air_values.CABIN_LETTERS.items()
    return next((cabin for cabin, letters in classes if letter in letters), "economy")


def _draw_issue_date(rng: random.Random, kind: BusinessType, flight: dt.date) -> dt.date:
    if kind == "sale":
        # Requested after the flight, within 180 days, usually soon (cubing skews towards 0).
        return flight + dt.timedelta(days=int(rng.random() ** 3 * 180))
    # A refund or change precedes the planned flight, or follows a missed one.
    return max(FIRST_AIR_DAY, flight - _days(rng, 0, 15))


def _draw_issuer(rng: random.Random, carrier: str) -> str:
    return carrier if rng.random() < 0.5 else rng.choice(air_values.TICKET_AGENTS)


def _region_of(airport: str) -> str:
    return next((a.region for a in air_values.AIRPORTS if a.name == airport), "11")


def _random_number(rng: random.Random, day: dt.date, region: str) -> str:
    return identifiers.random_invoice_number(rng, max(day, FIRST_AIR_DAY), region, AIR_CHANNEL)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))
