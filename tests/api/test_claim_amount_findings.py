"""An invoice whose amounts do not add up is not reimbursed: its tax would be booked as input
VAT as it stands (a forged XBRL's TaxAmount of 600.00 on a 553.00 fare booked a negative
expense line beside it). One whose face and data file disagree is shown to the approver."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from railclaim_devkit.synthetic import render_pdf
from railclaim_devkit.synthetic.xbrl import render_xbrl
from tests.api.ledger_helpers import API, Office, make_office, spec_for


def _claim_with(client: TestClient, office: Office, data: bytes, name: str) -> dict[str, Any]:
    uploaded = client.post(
        f"{API}/invoices", files={"file": (name, data)}, headers=office.headers["employee"]
    )
    assert uploaded.status_code == 201, uploaded.text
    claim = client.post(
        f"{API}/claims",
        json={
            "title": "出差",
            "purpose": "客户拜访",
            "items": [{"invoice_id": uploaded.json()["id"]}],
        },
        headers=office.headers["employee"],
    )
    assert claim.status_code == 201, claim.text
    return claim.json()


@pytest.mark.parametrize(
    ("excl", "tax"), [("53.00", "500.00"), ("-47.00", "600.00"), ("653.00", "-100.00")]
)
def test_an_invoice_whose_amounts_do_not_add_up_blocks_its_claim(
    client: TestClient, session: Session, excl: str, tax: str
):
    office = make_office(session)
    spec = spec_for(
        office,
        session,
        fare=Decimal("553.00"),
        amount_excluding_tax=Decimal(excl),
        tax_amount=Decimal(tax),
    )
    claim = _claim_with(client, office, render_xbrl(spec), "forged.xml")

    assert ("invoice-arithmetic", "block") in [
        (f["code"], f["severity"]) for f in claim["findings"]
    ]
    submitted = client.post(
        f"{API}/claims/{claim['id']}/submit", headers=office.headers["employee"]
    )
    assert submitted.status_code == 409, submitted.text
    assert submitted.json()["type"] == "/problems/blocking-findings"


def test_an_invoice_whose_amounts_add_up_has_no_arithmetic_finding(
    client: TestClient, session: Session
):
    office = make_office(session)
    spec = spec_for(
        office,
        session,
        fare=Decimal("553.00"),
        amount_excluding_tax=Decimal("507.34"),
        tax_amount=Decimal("45.66"),
    )
    claim = _claim_with(client, office, render_xbrl(spec), "good.xml")
    assert "invoice-arithmetic" not in [f["code"] for f in claim["findings"]]


def test_a_face_that_differs_from_its_xbrl_is_a_warning_the_approver_sees(
    client: TestClient, session: Session
):
    office = make_office(session)
    spec = spec_for(office, session)
    printed = dataclasses.replace(spec, train_number="G9999")
    claim = _claim_with(client, office, render_pdf(spec, face=printed), "changed.pdf")

    assert ("face-xbrl-mismatch", "warn") in [(f["code"], f["severity"]) for f in claim["findings"]]
    employee, manager = office.headers["employee"], office.headers["manager"]
    assert client.post(f"{API}/claims/{claim['id']}/submit", headers=employee).status_code == 200
    unacknowledged = client.post(
        f"{API}/claims/{claim['id']}/approve", json={"comment": "ok"}, headers=manager
    )
    assert unacknowledged.status_code == 409, unacknowledged.text
    assert unacknowledged.json()["type"] == "/problems/warnings-not-acknowledged"
