"""Deductible input VAT per reimbursed item (DOMAIN §1, SPEC "Bookkeeping rules"). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

CENT = Decimal("0.01")
TRANSPORT_RATE = Decimal("0.09")
ItemKind = Literal["e-invoice", "paper"]


@dataclass(frozen=True, slots=True)
class VatInput:
    kind: ItemKind
    fare: Decimal
    business_type: str = "sale"
    # Air (SPEC "Air travel"): the VAT base is 票价 + 燃油附加费; an e-itinerary's 票价 and
    # 燃油 exclude the VAT, a paper itinerary's include it.
    travel: Literal["railway", "air"] = "railway"
    fuel_surcharge: Decimal = Decimal("0.00")
    source: str = "xbrl"
    tax_amount: Decimal | None = None
    entity_small_scale: bool = False
    passenger_is_deductible_employee: bool = True


@dataclass(frozen=True, slots=True)
class VatResult:
    tax: Decimal
    # How the figure came about, for the voucher memo and the report: invoice, computed, none.
    basis: Literal["invoice", "computed", "none"]
    warning: str | None = None


def fare_tax(fare: Decimal) -> Decimal:
    """票面金额 ÷ (1 + 9 %) × 9 %, half-up to the cent: the passenger-transport formula."""
    return (fare / (1 + TRANSPORT_RATE) * TRANSPORT_RATE).quantize(CENT, rounding=ROUND_HALF_UP)


def deductible_tax(item: VatInput) -> VatResult:
    if item.travel == "air":
        return _air_tax(item)
    if item.entity_small_scale:
        return VatResult(Decimal("0.00"), "none")  # small-scale taxpayers deduct no input VAT
    if not item.passenger_is_deductible_employee:
        # Only trips of employees with a labour contract or 劳务派遣 workers are deductible.
        return VatResult(Decimal("0.00"), "none")
    if item.kind == "paper":
        return VatResult(fare_tax(item.fare), "computed")
    if item.source == "xbrl" and item.tax_amount is not None:
        # The invoice's own TaxAmount, whatever its rate (refund and change fees may be 6 %).
        return VatResult(item.tax_amount.quantize(CENT), "invoice")
    if item.business_type == "sale":
        # A sale read from its face only: the 9 % formula, marked computed on the VAT line.
        return VatResult(fare_tax(item.fare), "computed")
    return VatResult(
        Decimal("0.00"),
        "none",
        "tax-unknown",  # the face of a refund or change fee does not print its rate
    )


def _air_tax(item: VatInput) -> VatResult:
    """An itinerary's stated tax (face or XBRL alike: the face prints 增值税税额); a paper one's
    (票价 + 燃油) ÷ 1.09 × 9 %; a face without the tax: a sale's 9 % of its base, a fee's none."""
    if item.entity_small_scale or not item.passenger_is_deductible_employee:
        return VatResult(Decimal("0.00"), "none")
    base = item.fare + item.fuel_surcharge
    if item.kind == "paper":
        return VatResult(fare_tax(base), "computed")
    if item.tax_amount is not None:
        return VatResult(item.tax_amount.quantize(CENT), "invoice")
    if item.business_type == "sale":
        return VatResult((base * TRANSPORT_RATE).quantize(CENT, rounding=ROUND_HALF_UP), "computed")
    return VatResult(Decimal("0.00"), "none", "tax-unknown")
