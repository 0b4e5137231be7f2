"""Which trips deduct input VAT, and how much: employment, taxpayer type, face-only and paper."""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from railclaim_devkit.synthetic import PdfVariant, fee_invoice_for
from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    book,
    booked_voucher,
    make_office,
    problem,
    spec_for,
    upload_spec,
)
from tests.factories import make_user

FACE_ONLY = PdfVariant(with_xbrl=False)
FARE = Decimal("553.00")


def _by_document(voucher: dict[str, Any]) -> dict[str, list[tuple[str, str, str | None]]]:
    """Document id → its lines as (account code, debit, tax basis)."""
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    for line in voucher["lines"]:
        document = line["invoice_id"] or line["paper_voucher_id"]
        if document:
            found.setdefault(document, []).append(
                (line["account_code"], line["debit"], line["tax_basis"])
            )
    return found


def _colleague(session: Session, office: Office, name: str, last4: str, employment: str) -> Any:
    return make_user(
        session,
        "employee",
        entity=office.entity,
        passenger_name=name,
        id_last4=last4,
        manager=office.manager,
        employment_type=employment,
    )


def test_only_trips_of_contract_and_dispatched_employees_deduct_vat(
    client: TestClient, session: Session
):
    office = make_office(session)
    dispatched = _colleague(session, office, "李派遣", "2222", "dispatched")
    other = _colleague(session, office, "钱外包", "3333", "other")
    specs = {
        "contract": spec_for(office, session, fare=FARE),
        "dispatched": spec_for(office, session, fare=FARE, passenger=dispatched),
        "other": spec_for(office, session, fare=FARE, passenger=other),
        # A customer the employee travelled with: no employee profile of the entity at all.
        "guest": spec_for(
            office,
            session,
            fare=FARE,
            passenger=None,
            passenger_name="赵访客",
            passenger_id_masked="3101011985****7777",
        ),
    }
    invoices = {who: upload_spec(client, office, spec) for who, spec in specs.items()}
    items = [
        {"invoice_id": invoice["id"]}
        if who == "contract"
        else {"invoice_id": invoice["id"], "justification": "同行出差"}
        for who, invoice in invoices.items()
    ]
    voucher = booked_voucher(client, office, approved_claim(client, office, items)["id"])

    lines = _by_document(voucher)
    assert lines[invoices["contract"]["id"]] == [
        ("6602.03", "507.34", None),
        ("2221.01.01", "45.66", "invoice"),
    ]
    assert lines[invoices["dispatched"]["id"]] == [
        ("6602.03", "507.34", None),
        ("2221.01.01", "45.66", "invoice"),
    ]
    # No VAT line at all: the whole fare is expense.
    assert lines[invoices["other"]["id"]] == [("6602.03", "553.00", None)]
    assert lines[invoices["guest"]["id"]] == [("6602.03", "553.00", None)]
    assert voucher["lines"][-1]["credit"] == "2212.00"
    assert voucher["total"] == "2212.00"


def test_a_small_scale_entity_deducts_nothing(client: TestClient, session: Session):
    office = make_office(session, taxpayer_type="small-scale")
    invoice = upload_spec(client, office, spec_for(office, session, fare=FARE))
    assert invoice["tax_amount"] == "45.66"
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    voucher = booked_voucher(client, office, claim["id"])
    assert [(line["account_code"], line["debit"], line["credit"]) for line in voucher["lines"]] == [
        ("6602.03", "553.00", "0.00"),
        ("2241", "0.00", "553.00"),
    ]
    confirmed = client.post(
        f"{API}/invoices/{invoice['id']}/deduction-confirmation",
        json={"confirmed_on": "2026-11-20"},
        headers=office.headers["finance"],
    )
    assert confirmed.status_code == 200, confirmed.text
    report = client.get(
        f"{API}/reports/input-vat", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()
    assert report["total"] == {"count": 0, "fare": "0.00", "tax": "0.00"}


def test_face_only_sale_is_computed_and_face_only_fees_are_flagged_tax_unknown(
    client: TestClient, session: Session
):
    office = make_office(session)
    sale_spec = spec_for(office, session, fare=FARE)
    fee_specs = [
        dataclasses.replace(fee_invoice_for(sale_spec, random.Random(seed), kind), fare=fare)
        for seed, kind, fare in ((8, "refund", Decimal("27.50")), (9, "change", Decimal("55.50")))
    ]
    sale = upload_spec(client, office, sale_spec, FACE_ONLY)
    fees = [upload_spec(client, office, spec, FACE_ONLY) for spec in fee_specs]
    # The face prints neither rate nor tax: only the XBRL carries them.
    assert (sale["source"], sale["tax_amount"]) == ("text", None)
    assert [(f["source"], f["business_type"], f["tax_amount"]) for f in fees] == [
        ("text", "refund", None),
        ("text", "change", None),
    ]
    items = [{"invoice_id": i["id"]} for i in (sale, *fees)]
    claim = approved_claim(client, office, items)
    voucher = booked_voucher(client, office, claim["id"])

    lines = _by_document(voucher)
    # 553.00 ÷ 1.09 × 9 % = 45.6605… → 45.66, marked computed.
    assert lines[sale["id"]] == [("6602.03", "507.34", None), ("2221.01.01", "45.66", "computed")]
    # A fee's rate is not printed: zero tax, the whole fee is expense, and a warning.
    assert lines[fees[0]["id"]] == [("6602.03", "27.50", None)]
    assert lines[fees[1]["id"]] == [("6602.03", "55.50", None)]
    assert voucher["total"] == "636.00"
    # The warnings reach finance in the claim's history, and auditors in the audit log.
    after = client.get(f"{API}/claims/{claim['id']}", headers=office.headers["finance"]).json()
    booked = after["history"][-1]
    assert booked["action"] == "booked"
    warnings = booked["comment"].split("; ")
    assert [w.split(" ")[:2] for w in warnings] == [
        ["tax-unknown:", fee["invoice_number"]] for fee in fees
    ]
    events = client.get(
        f"{API}/audit-events",
        params={"action": "claim.booked", "object_id": claim["id"]},
        headers=office.headers["auditor"],
    ).json()["items"]
    assert [e["details"]["warnings"] for e in events] == [warnings]


def _paper(client: TestClient, office: Office, serial: str, fare: str) -> dict[str, Any]:
    response = client.post(
        f"{API}/paper-vouchers",
        json={
            "serial_number": serial,
            "e_ticket_number": f"E{serial}0000",
            "travel_date": "2025-09-20",
            "train_number": "G7",
            "departure_station": "北京南站",
            "arrival_station": "上海虹桥",
            "seat_class": "二等座",
            "fare": fare,
            "passenger_name": "张三",
            "passenger_id_masked": "1101011990****1234",
        },
        headers=office.headers["employee"],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_paper_vouchers_book_with_the_fare_formula_once_their_originals_arrived(
    client: TestClient, session: Session
):
    office = make_office(session)
    big, small = (
        _paper(client, office, "PZ0001553", "553.00"),
        _paper(client, office, "PZ0009500", "9.50"),
    )
    claim = approved_claim(
        client, office, [{"paper_voucher_id": big["id"]}, {"paper_voucher_id": small["id"]}]
    )
    refused = problem(book(client, office, claim["id"]), 409, "paper-original-missing")
    assert len(refused["items"]) == 2
    still = client.get(f"{API}/claims/{claim['id']}", headers=office.headers["finance"]).json()
    assert (still["state"], still["voucher_ids"]) == ("approved", [])
    for paper in (big, small):
        received = client.post(
            f"{API}/paper-vouchers/{paper['id']}/receive",
            json={"received_on": "2026-11-19", "location": "财务部档案柜 A-3"},
            headers=office.headers["finance"],
        )
        assert received.status_code == 200, received.text

    voucher = booked_voucher(client, office, claim["id"])
    lines = _by_document(voucher)
    # 553.00 ÷ 1.09 × 9 % = 45.66; 9.50 ÷ 1.09 × 9 % = 0.7844… → 0.78.
    assert lines[big["id"]] == [("6602.03", "507.34", None), ("2221.01.01", "45.66", "computed")]
    assert lines[small["id"]] == [("6602.03", "8.72", None), ("2221.01.01", "0.78", "computed")]
    assert voucher["lines"][0]["memo"] == "纸质 PZ0001553 G7 2025-09-20"
    report = client.get(
        f"{API}/reports/input-vat", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()
    # Paper counts in its booking month, apart from e-invoices.
    assert report["paper_vouchers"] == {"count": 2, "fare": "562.50", "tax": "46.44"}
    assert report["e_invoices"] == {"count": 0, "fare": "0.00", "tax": "0.00"}
    assert report["total"] == report["paper_vouchers"]
