"""Draw realistic `InvoiceSpec`s from a seeded `random.Random`, and derive linked invoices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from railclaim_devkit.synthetic import identifiers, values
from railclaim_devkit.synthetic.spec import (
    FEE_TAX_RATE,
    SALE_TAX_RATE,
    BusinessType,
    InvoiceSpec,
    split_tax,
)

BUSINESS_TYPES: tuple[BusinessType, ...] = ("sale", "refund", "change", "difference")
TRAIN_PREFIXES: tuple[str, ...] = ("G", "D", "C", "Z", "T", "K", "")
FIRST_E_INVOICE_DAY = dt.date(2024, 11, 1)
_HALF_YUAN = Decimal("0.5")
# The red marker each kind prints on its fare line and after its 电子客票号 (DOMAIN §4).
FEE_MARKERS: dict[BusinessType, str] = {
    "refund": "退票",
    "change": "始发改签",
    "difference": "差额退票",
}
_SPEC_FIELDS = frozenset(f.name for f in dataclasses.fields(InvoiceSpec))


def random_spec(
    rng: random.Random,
    *,
    red_letter: bool = False,
    personal_buyer: bool = False,
    train_prefix: str | None = None,
    **overrides: Any,
) -> InvoiceSpec:
    """A plausible invoice; any `InvoiceSpec` field may be pinned by keyword.

    Derived values follow pinned ones: the tax split follows `fare`/`tax_rate`, the invoice
    number's year follows `issue_date`, the seat follows `seat_class`. `red_letter` negates the
    amounts and names an original; `personal_buyer` prints a person as buyer, without USCC.
    """
    unknown = set(overrides) - _SPEC_FIELDS
    if unknown:
        raise TypeError(f"not InvoiceSpec fields: {sorted(unknown)}")
    pinned: dict[str, Any] = dict(overrides)

    def pick(name: str, draw: Any) -> Any:
        if name not in pinned:
            pinned[name] = draw()
        return pinned[name]

    kind: BusinessType = pick("business_type", lambda: _draw_business_type(rng))
    prefix = train_prefix if train_prefix is not None else rng.choice(TRAIN_PREFIXES)
    train = pick("train_number", lambda: _draw_train_number(rng, prefix))
    prefix = train[0] if train[0].isalpha() else ""
    departure, arrival = rng.sample(values.STATIONS, 2)
    pick("departure_station", lambda: departure.name)
    pick("departure_pinyin", lambda: departure.pinyin)
    pick("arrival_station", lambda: arrival.name)
    pick("arrival_pinyin", lambda: arrival.pinyin)
    region = pick("region", lambda: departure.region)
    travel = pick("travel_date", lambda: _draw_travel_date(rng))
    issue = pick("issue_date", lambda: _draw_issue_date(rng, kind, travel))
    pick("departure_time", lambda: dt.time(rng.randint(5, 23), rng.randrange(60)))
    seat_class = pick("seat_class", lambda: rng.choice(values.CLASSES_BY_PREFIX[prefix]))
    pick("carriage", lambda: f"{rng.randint(1, 16 if prefix in 'GDC' else 20):02d}")
    pick("seat", lambda: _draw_seat(rng, seat_class))
    fee_kind = kind in ("refund", "change")
    rate = pick("tax_rate", lambda: FEE_TAX_RATE if fee_kind else SALE_TAX_RATE)
    sign = -1 if red_letter or kind == "difference" else 1
    fare = pick("fare", lambda: sign * _draw_amount(rng, kind, seat_class))
    excluding, tax = split_tax(fare, rate)
    pick("amount_excluding_tax", lambda: excluding)
    pick("tax_amount", lambda: tax)
    pick("invoice_number", lambda: identifiers.random_invoice_number(rng, issue, region))
    linked = red_letter or kind != "sale"
    pick(
        "original_invoice_number",
        lambda: identifiers.random_invoice_number(rng, travel, region) if linked else None,
    )
    pick("e_ticket_number", lambda: identifiers.random_e_ticket_number(rng, travel))
    passenger = pick("passenger_name", lambda: random_person_name(rng))
    pick("passenger_id_masked", lambda: identifiers.masked_id_number(rng))
    if personal_buyer:
        pick("buyer_name", lambda: passenger)
        pick("buyer_tax_id", lambda: None)
    else:
        pick("buyer_name", lambda: random_company_name(rng))
        pick("buyer_tax_id", lambda: identifiers.random_uscc(rng))
    pick("face_marker", lambda: _draw_marker(rng, kind))
    return InvoiceSpec(**pinned)


def red_letter_of(blue: InvoiceSpec, rng: random.Random) -> InvoiceSpec:
    """The 红字 invoice reversing `blue`: a new number, negative amounts, `blue` as original."""
    issue = blue.issue_date + dt.timedelta(days=rng.randint(0, 30))
    return dataclasses.replace(
        blue,
        invoice_number=identifiers.random_invoice_number(rng, issue, blue.region),
        issue_date=issue,
        fare=-blue.fare,
        amount_excluding_tax=-blue.amount_excluding_tax,
        tax_amount=-blue.tax_amount,
        original_invoice_number=blue.invoice_number,
        face_marker=None,
    )


def fee_invoice_for(sale: InvoiceSpec, rng: random.Random, kind: BusinessType) -> InvoiceSpec:
    """The refund- or change-fee invoice of `sale`'s ticket: same trip, a fee at the fee rate."""
    if kind not in ("refund", "change"):
        raise ValueError("fee invoices are refunds or changes")
    issue = max(FIRST_E_INVOICE_DAY, sale.travel_date - dt.timedelta(days=rng.randint(0, 10)))
    share = Decimal(rng.choice(("0.05", "0.10", "0.20")))
    fee = max(_HALF_YUAN, _round_half_yuan(abs(sale.fare) * share)).quantize(Decimal("0.01"))
    excluding, tax = split_tax(fee, FEE_TAX_RATE)
    return dataclasses.replace(
        sale,
        business_type=kind,
        invoice_number=identifiers.random_invoice_number(rng, issue, sale.region),
        issue_date=issue,
        fare=fee,
        amount_excluding_tax=excluding,
        tax_rate=FEE_TAX_RATE,
        tax_amount=tax,
        original_invoice_number=sale.invoice_number,
        face_marker=FEE_MARKERS.get(kind),
    )


def random_person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.02:
        return rng.choice(values.DOTTED_NAMES)
    surname = rng.choice(values.COMPOUND_SURNAMES) if roll < 0.05 else rng.choice(values.SURNAMES)
    given = "".join(rng.choice(values.GIVEN_NAME_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def random_company_name(rng: random.Random) -> str:
    return "".join(
        rng.choice(part)
        for part in (
            values.COMPANY_CITIES,
            values.COMPANY_TRADE_NAMES,
            values.COMPANY_INDUSTRIES,
            values.COMPANY_FORMS,
        )
    )


def _draw_marker(rng: random.Random, kind: BusinessType) -> str | None:
    # 始发改签 marks the new sale invoice of a ticket that was changed before departure; refund,
    # 差额退票 and change invoices carry their marker (DOMAIN §4). No draw for those: seeded
    # corpora keep their values.
    if kind == "sale":
        return "始发改签" if rng.random() < 0.1 else None
    return FEE_MARKERS.get(kind)


def _draw_business_type(rng: random.Random) -> BusinessType:
    # Mostly sales, as in a real mailbox; the other kinds often enough to exercise their paths.
    return rng.choices(BUSINESS_TYPES, weights=(80, 10, 7, 3))[0]


def _draw_train_number(rng: random.Random, prefix: str) -> str:
    if prefix == "":
        return str(rng.randint(1001, 7599))
    upper = {"G": 9999, "D": 9999, "C": 9999, "Z": 399, "T": 399, "K": 9999}[prefix]
    return f"{prefix}{rng.randint(1, upper)}"


def _draw_travel_date(rng: random.Random) -> dt.date:
    return FIRST_E_INVOICE_DAY + dt.timedelta(days=rng.randrange(730))


def _draw_issue_date(rng: random.Random, kind: BusinessType, travel: dt.date) -> dt.date:
    if kind == "sale":
        # Requested after the journey, within 180 days, usually soon (cubing skews towards 0).
        return travel + dt.timedelta(days=int(rng.random() ** 3 * 180))
    # Fee invoices follow the refund or change, which may precede the planned travel date.
    return max(FIRST_E_INVOICE_DAY, travel - dt.timedelta(days=rng.randint(0, 15)))


def _draw_seat(rng: random.Random, seat_class: str) -> str | None:
    if seat_class == "无座":
        return None
    if seat_class in values.SEAT_LETTERS:
        return f"{rng.randint(1, 20):02d}{rng.choice(values.SEAT_LETTERS[seat_class])}"
    if seat_class in values.BERTHS:
        return f"{rng.randint(1, 16):02d}号{rng.choice(values.BERTHS[seat_class])}"
    return f"{rng.randint(1, 118):03d}"


def _draw_amount(rng: random.Random, kind: BusinessType, seat_class: str) -> Decimal:
    low, high = values.FARE_RANGES[seat_class]
    # Log-uniform, so single-digit fares and four-digit fares both turn up.
    fare = _round_half_yuan(Decimal(str(round(low * (high / low) ** rng.random(), 2))))
    fare = max(fare, Decimal(low))
    if kind in ("sale", "difference"):
        return fare.quantize(Decimal("0.01"))
    share = Decimal(rng.choice(("0.05", "0.10", "0.20")))
    return max(_HALF_YUAN, _round_half_yuan(fare * share)).quantize(Decimal("0.01"))


def _round_half_yuan(amount: Decimal) -> Decimal:
    # 12306 fares step in half yuan.
    return (amount * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
