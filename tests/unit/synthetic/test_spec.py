"""The spec builder draws valid, realistic, reproducible invoice data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest

from app.invoices.parsing.model import ParsedInvoice
from app.kit.uscc import is_valid_uscc as kit_is_valid_uscc
from railclaim_devkit.synthetic import (
    PARSED_FIELDS,
    fee_invoice_for,
    invoice_number,
    is_valid_uscc,
    random_spec,
    red_letter_of,
    split_tax,
    uscc_with_check_digit,
)
from railclaim_devkit.synthetic.values import REGION_TAX_BUREAUS, SEAT_CLASSES

SPECS = [random_spec(random.Random(seed)) for seed in range(400)]


def test_parsed_fields_mirror_parsed_invoice():
    parsed = [f.name for f in dataclasses.fields(ParsedInvoice)]
    assert list(PARSED_FIELDS) == parsed[: len(PARSED_FIELDS)]


def test_same_seed_same_spec():
    assert random_spec(random.Random(42)) == random_spec(random.Random(42))
    assert random_spec(random.Random(42)) != random_spec(random.Random(43))


@pytest.mark.parametrize(
    ("body", "code"),
    [("91110108MA0000007", "91110108MA00000070"), ("91350100M000100Y4", "91350100M000100Y43")],
)
def test_uscc_check_digit_known_codes(body: str, code: str):
    assert uscc_with_check_digit(body) == code
    assert is_valid_uscc(code)


def test_uscc_rejects_wrong_check_and_alphabet():
    assert not is_valid_uscc("91110108MA00000071")
    assert not is_valid_uscc("91110108MA0000007I")
    assert not is_valid_uscc("9111010")
    with pytest.raises(ValueError, match="USCC body"):
        uscc_with_check_digit("O" * 17)


def test_generated_usccs_agree_with_the_service_checker():
    codes = [s.buyer_tax_id for s in SPECS if s.buyer_tax_id]
    assert codes
    assert all(is_valid_uscc(c) and kit_is_valid_uscc(c) for c in codes)


def test_invoice_numbers_have_the_observed_structure():
    for spec in SPECS:
        number = spec.invoice_number
        assert len(number) == 20
        assert number.isdigit()
        assert number[:2] == f"{spec.issue_date.year % 100:02d}"
        assert number[2:4] in REGION_TAX_BUREAUS
        assert number[4] == "9"
    assert invoice_number(dt.date(2025, 3, 20), "11", 199999000000001) == "25119199999000000001"


def test_amounts_split_into_tax_at_the_rate():
    for spec in SPECS:
        assert spec.fare == spec.amount_excluding_tax + spec.tax_amount
        assert split_tax(spec.fare, spec.tax_rate) == (spec.amount_excluding_tax, spec.tax_amount)
    assert split_tax(Decimal("553.00"), Decimal("0.09")) == (Decimal("507.34"), Decimal("45.66"))
    assert split_tax(Decimal("27.50"), Decimal("0.06")) == (Decimal("25.94"), Decimal("1.56"))


def test_business_types_have_their_rates_and_links():
    kinds = {s.business_type for s in SPECS}
    assert kinds == {"sale", "refund", "change", "difference"}
    for spec in SPECS:
        if spec.business_type in ("refund", "change"):
            assert spec.tax_rate == Decimal("0.06")
            assert spec.original_invoice_number is not None
        else:
            assert spec.tax_rate == Decimal("0.09")
        if spec.business_type == "sale":
            assert spec.issue_date >= spec.travel_date
            assert spec.original_invoice_number is None


def test_values_cover_the_range_real_files_show():
    classes = {s.seat_class for s in SPECS}
    assert classes == set(SEAT_CLASSES)
    prefixes = {s.train_number[0] if s.train_number[0].isalpha() else "" for s in SPECS}
    assert prefixes == {"G", "D", "C", "Z", "T", "K", ""}
    fares = [s.fare for s in SPECS]
    assert min(fares) < 10
    assert max(fares) >= 1000
    assert all((s.seat is None) == (s.seat_class == "无座") for s in SPECS)
    assert any(s.seat and "铺" in s.seat for s in SPECS)
    assert any(s.e_ticket_number and not s.e_ticket_number.isdigit() for s in SPECS)


def test_masked_ids_keep_first_ten_and_last_four():
    for spec in SPECS:
        masked = spec.passenger_id_masked
        assert len(masked) == 18
        assert masked[10:14] == "****"
        assert masked[:10].isdigit()


def test_overrides_pin_fields_and_derived_values_follow():
    spec = random_spec(random.Random(1), fare=Decimal("553.00"), issue_date=dt.date(2026, 1, 2))
    assert spec.tax_amount == Decimal("45.66")
    assert spec.invoice_number.startswith("26")
    with pytest.raises(TypeError, match="not InvoiceSpec fields"):
        random_spec(random.Random(1), colour="red")


def test_red_letter_reverses_its_blue_original():
    rng = random.Random(5)
    blue = random_spec(rng, business_type="sale")
    red = red_letter_of(blue, rng)
    assert red.fare == -blue.fare
    assert red.tax_amount == -blue.tax_amount
    assert red.original_invoice_number == blue.invoice_number
    assert red.invoice_number != blue.invoice_number
    assert red.is_red_letter
    assert random_spec(rng, red_letter=True).fare < 0


def test_fee_invoice_links_to_its_sale():
    rng = random.Random(9)
    sale = random_spec(rng, business_type="sale")
    refund = fee_invoice_for(sale, rng, "refund")
    assert refund.business_type == "refund"
    assert refund.tax_rate == Decimal("0.06")
    assert refund.e_ticket_number == sale.e_ticket_number
    assert refund.original_invoice_number == sale.invoice_number
    assert refund.fare == refund.amount_excluding_tax + refund.tax_amount


def test_personal_buyer_has_no_tax_id():
    spec = random_spec(random.Random(3), personal_buyer=True)
    assert spec.buyer_tax_id is None
    assert spec.is_personal_title
