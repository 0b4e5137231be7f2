"""Pure parts of posting: period texts, voucher numbers, and the refusal of unbalanced vouchers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import cast

import pytest
from sqlmodel import Session

from app.ledger.errors import UnbalancedVoucher
from app.ledger.periods import check_period_text, period_of, voucher_number_text
from app.ledger.posting import LineDraft, VoucherDraft, post_voucher
from app.problems import ValidationProblem

D = Decimal


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(2026, 11, 30), "2026-11"),
        (dt.date(2026, 1, 1), "2026-01"),
        (dt.date(999, 12, 31), "0999-12"),
    ],
)
def test_period_of_a_business_date(day: dt.date, period: str):
    assert period_of(day) == period


@pytest.mark.parametrize("text", ["2026-11", "2027-01", "1999-12"])
def test_well_formed_periods_pass(text: str):
    assert check_period_text(text) == text


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", ""]
)
def test_malformed_periods_are_a_validation_problem(text: str):
    with pytest.raises(ValidationProblem) as raised:
        check_period_text(text)
    assert raised.value.extensions["errors"][0]["field"] == "period"


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "记-2026-11-0001"), (42, "记-2026-11-0042"), (12345, "记-2026-11-12345")],
)
def test_voucher_number_text(number: int, text: str):
    assert voucher_number_text("2026-11", number) == text


def test_an_unbalanced_voucher_is_refused_before_it_touches_the_database():
    draft = VoucherDraft(
        entity_id=uuid.uuid4(),
        date=dt.date(2026, 11, 20),
        kind="booking",
        lines=(
            LineDraft("6602.03", "管理费用-差旅费", D("507.34"), D("0.00"), "m"),
            LineDraft("2221.01.01", "应交税费-应交增值税(进项税额)", D("45.65"), D("0.00"), "m"),
            LineDraft("2241", "其他应付款-张三", D("0.00"), D("553.00"), "m"),
        ),
        prepared_by_id=uuid.uuid4(),
    )
    # No session is needed to refuse it: the balance is checked before a number is taken.
    with pytest.raises(UnbalancedVoucher) as raised:
        post_voucher(cast(Session, None), draft)
    assert raised.value.status == 500
    assert "552.99" in str(raised.value)
    assert "553.00" in str(raised.value)
