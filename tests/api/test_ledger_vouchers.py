"""Booking and payment vouchers worked out by hand: lines, memos, dimensions and voucher fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.ledger.models import LedgerAccount
from railclaim_devkit.synthetic import fee_invoice_for
from tests.api.ledger_helpers import (
    API,
    COST_CENTRE,
    DEPARTMENT,
    Office,
    approved_claim,
    booked_voucher,
    make_office,
    spec_for,
    upload_spec,
    voucher,
)

TRAVEL = dt.date(2026, 11, 2)


def _line(
    account: tuple[str, str],
    invoice: dict[str, Any] | None,
    *,
    debit: str = "0.00",
    credit: str = "0.00",
    memo: str,
    tax_basis: str | None = None,
) -> dict[str, Any]:
    return {
        "account_code": account[0],
        "account_name": account[1],
        "debit": debit,
        "credit": credit,
        "memo": memo,
        "department": DEPARTMENT,
        "cost_centre": COST_CENTRE,
        "invoice_id": invoice["id"] if invoice else None,
        "paper_voucher_id": None,
        "tax_basis": tax_basis,
    }


def _memo(invoice: dict[str, Any]) -> str:
    return f"{invoice['invoice_number']} {invoice['train_number']} {invoice['travel_date']}"


def _without_line_no(voucher: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in line.items() if k != "line_no"} for line in voucher["lines"]]


def _upload_three(
    client: TestClient, office: Office, session: Session
) -> tuple[dict[str, Any], ...]:
    """A 553.00 sale, a 9.50 sale and a 27.50 refund fee at 6 % of the first sale's ticket."""
    sale = spec_for(
        office, session, fare=Decimal("553.00"), train_number="G101", travel_date=TRAVEL
    )
    small = spec_for(office, session, fare=Decimal("9.50"), train_number="C2", travel_date=TRAVEL)
    fee = dataclasses.replace(
        fee_invoice_for(sale, random.Random(6), "refund"),
        # 27.50 ÷ 1.06 = 25.943… → 25.94 excluding tax, 1.56 tax (9 % would say 2.27).
        fare=Decimal("27.50"),
        amount_excluding_tax=Decimal("25.94"),
        tax_amount=Decimal("1.56"),
    )
    # Generated from the fare with the SPEC's formula; pinned here as hand-computed figures.
    assert (sale.amount_excluding_tax, sale.tax_amount) == (Decimal("507.34"), Decimal("45.66"))
    assert (small.amount_excluding_tax, small.tax_amount) == (Decimal("8.72"), Decimal("0.78"))
    return tuple(upload_spec(client, office, spec) for spec in (sale, small, fee))


def test_a_three_item_claim_books_and_pays_as_computed_by_hand(
    client: TestClient, session: Session
):
    office = make_office(session)
    sale, small, fee = _upload_three(client, office, session)
    assert (fee["business_type"], fee["tax_rate"], fee["tax_amount"]) == ("refund", "0.06", "1.56")
    claim = approved_claim(client, office, [{"invoice_id": i["id"]} for i in (sale, small, fee)])
    booking = booked_voucher(client, office, claim["id"])

    expense = ("6602.03", "管理费用-差旅费")
    vat = ("2221.01.01", "应交税费-应交增值税(进项税额)")
    payable = ("2241", f"其他应付款-{office.employee.display_name}")
    expected_pairs = {
        sale["id"]: [
            _line(expense, sale, debit="507.34", memo=_memo(sale)),
            _line(vat, sale, debit="45.66", memo=_memo(sale), tax_basis="invoice"),
        ],
        small["id"]: [
            _line(expense, small, debit="8.72", memo=_memo(small)),
            _line(vat, small, debit="0.78", memo=_memo(small), tax_basis="invoice"),
        ],
        fee["id"]: [
            _line(expense, fee, debit="25.94", memo=_memo(fee)),
            _line(vat, fee, debit="1.56", memo=_memo(fee), tax_basis="invoice"),
        ],
    }
    lines = _without_line_no(booking)
    assert [line["line_no"] for line in booking["lines"]] == list(range(1, 8))
    # Per item its expense line, then its VAT line; the payable line closes the voucher.
    pairs = {lines[i]["invoice_id"]: lines[i : i + 2] for i in (0, 2, 4)}
    assert pairs == expected_pairs
    assert lines[6] == _line(
        payable, None, credit="590.00", memo=f"应付报销款 {office.employee.display_name}"
    )
    assert _memo(sale) == f"{sale['invoice_number']} G101 2026-11-02"
    assert {k: booking[k] for k in _VOUCHER_FIELDS} == {
        "number": "记-2026-11-0001",
        "entity": str(office.entity.id),
        "period": "2026-11",
        "date": "2026-11-20",
        "kind": "booking",
        "claim_id": claim["id"],
        "reverses_id": None,
        "attachments_count": 3,
        "prepared_by": str(office.finance.id),
        "approved_by": str(office.manager.id),
        "total": "590.00",
        "total_in_words": "人民币伍佰玖拾元整",
        "payment_reference": None,
    }

    paid = client.post(
        f"{API}/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-25", "reference": "CMB-20261125-01"},
        headers=office.headers["finance2"],
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["state"] == "paid"
    assert paid.json()["voucher_ids"][0] == booking["id"]
    payment = voucher(client, office, paid.json()["voucher_ids"][1])
    memo = f"支付报销款 {office.employee.display_name} CMB-20261125-01"
    # The claimant's department and cost centre on every line, as on the booking it clears.
    assert [
        (
            line["account_code"],
            line["account_name"],
            line["debit"],
            line["credit"],
            line["memo"],
            line["department"],
            line["cost_centre"],
        )
        for line in payment["lines"]
    ] == [
        ("2241", payable[1], "590.00", "0.00", memo, DEPARTMENT, COST_CENTRE),
        ("1002", "银行存款", "0.00", "590.00", memo, DEPARTMENT, COST_CENTRE),
    ]
    assert {
        k: payment[k]
        for k in ("number", "date", "kind", "prepared_by", "total", "attachments_count")
    } == {
        "number": "记-2026-11-0002",
        "date": "2026-11-25",
        "kind": "payment",
        "prepared_by": str(office.finance2.id),
        "total": "590.00",
        "attachments_count": 3,  # the claim's three invoices, as on its booking voucher
    }
    assert payment["payment_reference"] == "CMB-20261125-01"
    assert payment["total_in_words"] == "人民币伍佰玖拾元整"


_VOUCHER_FIELDS = (
    "number",
    "entity",
    "period",
    "date",
    "kind",
    "claim_id",
    "reverses_id",
    "attachments_count",
    "prepared_by",
    "approved_by",
    "total",
    "total_in_words",
    "payment_reference",
)


def test_a_department_account_replaces_the_default_expense_account(
    client: TestClient, session: Session
):
    office = make_office(session)
    first = upload_spec(client, office, spec_for(office, session, fare=Decimal("9.50")))
    default_booking = booked_voucher(
        client, office, approved_claim(client, office, [{"invoice_id": first["id"]}])["id"]
    )
    assert [(line["account_code"], line["debit"]) for line in default_booking["lines"][:2]] == [
        ("6602.03", "8.72"),
        ("2221.01.01", "0.78"),
    ]
    session.commit()  # end the read snapshot: SQLite refuses a write from a stale one
    session.add(
        LedgerAccount(
            entity_id=office.entity.id,
            role="travel_expense",
            department=DEPARTMENT,
            code="6601.05",
            name="销售费用-差旅费",
        )
    )
    session.commit()
    second = upload_spec(client, office, spec_for(office, session, fare=Decimal("1748.00")))
    claim = approved_claim(client, office, [{"invoice_id": second["id"]}])
    booking = booked_voucher(client, office, claim["id"], "2026-11-21")
    # 1748.00 ÷ 1.09 × 9 % = 144.330… → 144.33; one sequence per entity and month.
    assert booking["number"] == "记-2026-11-0002"
    assert [
        (line["account_code"], line["account_name"], line["debit"], line["credit"])
        for line in booking["lines"]
    ] == [
        ("6601.05", "销售费用-差旅费", "1603.67", "0.00"),
        ("2221.01.01", "应交税费-应交增值税(进项税额)", "144.33", "0.00"),
        ("2241", f"其他应付款-{office.employee.display_name}", "0.00", "1748.00"),
    ]
    assert booking["total_in_words"] == "人民币壹仟柒佰肆拾捌元整"


def test_a_department_payable_account_is_credited_by_booking_and_debited_by_payment(
    client: TestClient, session: Session
):
    office = make_office(session)
    session.add(
        LedgerAccount(
            entity_id=office.entity.id,
            role="payable",
            department=DEPARTMENT,
            code="2241.07",
            name="其他应付款-销售部",
        )
    )
    session.commit()
    invoice = upload_spec(client, office, spec_for(office, session, fare=Decimal("9.50")))
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    booking = booked_voucher(client, office, claim["id"])
    paid = client.post(
        f"{API}/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-25", "reference": "CMB-2"},
        headers=office.headers["finance2"],
    )
    assert paid.status_code == 200, paid.text
    payment = voucher(client, office, paid.json()["voucher_ids"][1])
    payable_line, payment_line = booking["lines"][-1], payment["lines"][0]
    assert (payable_line["account_code"], payable_line["credit"]) == ("2241.07", "9.50")
    assert (payment_line["account_code"], payment_line["debit"]) == ("2241.07", "9.50")
    assert payment["attachments_count"] == 1
