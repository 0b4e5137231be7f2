"""Deductible input VAT per item and amounts in 人民币大写, with hand-computed examples."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ledger.vat import VatInput, VatResult, deductible_tax, fare_tax
from app.ledger.words import amount_in_words

D = Decimal


@pytest.mark.parametrize(
    ("fare", "tax"),
    [
        ("553.00", "45.66"),
        ("9.50", "0.78"),
        ("1.00", "0.08"),
        ("0.05", "0.00"),
        ("1748.00", "144.33"),
        ("100.00", "8.26"),
    ],
)
def test_fare_formula_is_half_up_to_the_cent(fare: str, tax: str):
    assert fare_tax(D(fare)) == D(tax)


@pytest.mark.parametrize(
    ("item", "tax", "basis", "warning"),
    [
        (VatInput("e-invoice", D("553.00"), tax_amount=D("45.66")), "45.66", "invoice", None),
        # A refund fee at 6 %: the invoice's own tax, never a 9 % recomputation.
        (
            VatInput("e-invoice", D("5.00"), business_type="refund", tax_amount=D("0.28")),
            "0.28",
            "invoice",
            None,
        ),
        (VatInput("e-invoice", D("553.00"), source="text"), "45.66", "computed", None),
        (
            VatInput("e-invoice", D("5.00"), business_type="refund", source="text"),
            "0.00",
            "none",
            "tax-unknown",
        ),
        (VatInput("paper", D("9.50")), "0.78", "computed", None),
        (
            VatInput("e-invoice", D("553.00"), tax_amount=D("45.66"), entity_small_scale=True),
            "0.00",
            "none",
            None,
        ),
        (
            VatInput("paper", D("553.00"), passenger_is_deductible_employee=False),
            "0.00",
            "none",
            None,
        ),
    ],
)
def test_deductible_tax(item: VatInput, tax: str, basis: str, warning: str | None):
    result = deductible_tax(item)
    assert result.tax == D(tax)
    assert result.basis == basis
    assert result.warning == warning


@given(st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2))
def test_expense_and_tax_always_add_up_to_the_fare(fare: Decimal):
    tax = fare_tax(fare)
    assert D("0") <= tax < fare or fare < D("0.12")
    assert (fare - tax) + tax == fare
    assert tax == tax.quantize(D("0.01"))


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("553.00", "人民币伍佰伍拾叁元整"),
        ("507.34", "人民币伍佰零柒元叁角肆分"),
        ("9.50", "人民币玖元伍角整"),
        ("0.78", "人民币柒角捌分"),
        ("0.05", "人民币伍分"),
        ("0.00", "人民币零元整"),
        ("10.08", "人民币壹拾元零捌分"),
        ("1005.00", "人民币壹仟零伍元整"),
        ("10000.00", "人民币壹万元整"),
        ("100010.01", "人民币壹拾万零壹拾元零壹分"),
        ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("200000000.00", "人民币贰亿元整"),
        ("-45.66", "负人民币肆拾伍元陆角陆分"),
    ],
)
def test_amount_in_words(amount: str, words: str):
    assert amount_in_words(D(amount)) == words


def test_air_takes_the_stated_tax_whatever_the_source():
    for source in ("xbrl", "text"):
        item = VatInput(
            kind="e-invoice",
            travel="air",
            fare=Decimal("330.28"),
            fuel_surcharge=Decimal("64.22"),
            source=source,
            tax_amount=Decimal("35.50"),
        )
        assert deductible_tax(item) == VatResult(Decimal("35.50"), "invoice")


def test_air_without_a_stated_tax():
    sale = VatInput(
        kind="e-invoice", travel="air", fare=Decimal("330.28"), fuel_surcharge=Decimal("64.22")
    )
    # 9 % of (票价 + 燃油) 394.50 = 35.505 → 35.51 half-up (the printed tax wins when present).
    assert deductible_tax(sale) == VatResult(Decimal("35.51"), "computed")
    fee = VatInput(kind="e-invoice", travel="air", fare=Decimal("50.00"), business_type="refund")
    assert deductible_tax(fee) == VatResult(Decimal("0.00"), "none", "tax-unknown")


def test_a_paper_itinerary_takes_nine_percent_of_fare_and_fuel():
    item = VatInput(
        kind="paper", travel="air", fare=Decimal("700.00"), fuel_surcharge=Decimal("60")
    )
    assert deductible_tax(item) == VatResult(Decimal("62.75"), "computed")
    guest = VatInput(
        kind="e-invoice",
        travel="air",
        fare=Decimal("330.28"),
        tax_amount=Decimal("35.50"),
        passenger_is_deductible_employee=False,
    )
    assert deductible_tax(guest).tax == Decimal("0.00")
    small = VatInput(
        kind="e-invoice",
        travel="air",
        fare=Decimal("330.28"),
        tax_amount=Decimal("35.50"),
        entity_small_scale=True,
    )
    assert deductible_tax(small).tax == Decimal("0.00")
