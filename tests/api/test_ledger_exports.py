"""The finance API: voucher lists (period, updated_since, cursor), reads within one's entities,
and exports in CSV, XLSX and JSON that match the vouchers line for line, audited."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.ledger.exports import COLUMN_LABELS
from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    booked_voucher,
    make_office,
    problem,
    upload_invoice,
)

COLUMNS = [
    "voucher_number",
    "voucher_id",
    "date",
    "period",
    "kind",
    "claim_id",
    "line_no",
    "account_code",
    "account_name",
    "debit",
    "credit",
    "memo",
    "department",
    "cost_centre",
    "invoice_id",
    "paper_voucher_id",
    "tax_basis",
    "travel_kind",
]


def _ledger(client: TestClient, office: Office, session: Session) -> dict[str, dict[str, Any]]:
    """November: a two-item booking and its payment; December: a one-item booking."""
    first = [upload_invoice(client, office, session, fare=Decimal(f)) for f in ("553.00", "9.50")]
    claim = approved_claim(client, office, [{"invoice_id": i["id"]} for i in first])
    booking = booked_voucher(client, office, claim["id"], "2026-11-20")
    paid = client.post(
        f"{API}/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-22", "reference": "BANK-9"},
        headers=office.headers["finance2"],
    )
    assert paid.status_code == 200, paid.text
    payment = _get(client, office, f"/vouchers/{paid.json()['voucher_ids'][1]}")
    later = upload_invoice(client, office, session, fare=Decimal("73.00"))
    december = booked_voucher(
        client,
        office,
        approved_claim(client, office, [{"invoice_id": later["id"]}])["id"],
        "2026-12-01",
    )
    return {"booking": booking, "payment": payment, "december": december}


def _get(client: TestClient, office: Office, url: str, who: str = "finance", **params: Any) -> Any:
    response = client.get(f"{API}{url}", params=params, headers=office.headers[who])
    assert response.status_code == 200, response.text
    return response.json()


def _rows(vouchers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an export must hold: one row per line, in voucher-number then line order."""
    rows = []
    for voucher in sorted(vouchers, key=lambda v: v["number"]):
        for line in voucher["lines"]:
            rows.append(
                {
                    "voucher_number": voucher["number"],
                    "voucher_id": voucher["id"],
                    "date": voucher["date"],
                    "period": voucher["period"],
                    "kind": voucher["kind"],
                    "claim_id": voucher["claim_id"] or "",
                    **{k: line[k] or "" for k in COLUMNS[6:-1] if k != "line_no"},
                    "line_no": line["line_no"],
                    # Every document of this ledger is a railway one.
                    "travel_kind": "railway" if line["invoice_id"] else "",
                }
            )
    return rows


def _export(client: TestClient, office: Office, fmt: str) -> bytes:
    response = client.get(
        f"{API}/vouchers/export",
        params={"period": "2026-11", "format": fmt},
        headers=office.headers["finance"],
    )
    assert response.status_code == 200, response.text
    assert (
        response.headers["content-disposition"] == f'attachment; filename="vouchers-2026-11.{fmt}"'
    )
    return response.content


def test_exports_open_in_their_formats_and_match_the_vouchers(client: TestClient, session: Session):
    office = make_office(session)
    vouchers = _ledger(client, office, session)
    november = _get(client, office, "/vouchers", period="2026-11")["items"]
    assert {v["id"] for v in november} == {vouchers["booking"]["id"], vouchers["payment"]["id"]}
    expected = _rows(november)
    assert len(expected) == 5 + 2

    text = _export(client, office, "csv").decode("utf-8-sig")  # with a BOM for spreadsheets
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed == [{**row, "line_no": str(row["line_no"])} for row in expected]

    workbook = load_workbook(io.BytesIO(_export(client, office, "xlsx")))
    sheet = workbook["vouchers"]
    sheet_rows = list(sheet.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == [COLUMN_LABELS[c] for c in COLUMNS]  # for the clerk
    assert list(sheet_rows[1]) == list(COLUMNS)  # the API's field names
    from_sheet = [
        {k: "" if v is None else v for k, v in zip(COLUMNS, row, strict=True)}
        for row in sheet_rows[2:]
    ]
    as_text = [
        {
            **row,
            "debit": f"{row['debit']:.2f}",
            "credit": f"{row['credit']:.2f}",
            "date": row["date"].date().isoformat(),
        }
        for row in from_sheet
    ]
    assert as_text == expected
    # Typed cells: a spreadsheet's SUM counts money cells only when they are numbers.
    for cells in sheet.iter_rows(min_row=3):
        by_column = dict(zip(COLUMNS, cells, strict=True))
        for column in ("debit", "credit"):
            assert by_column[column].data_type == "n"
            assert by_column[column].number_format == "0.00"
        assert by_column["date"].is_date
    debits = sum(Decimal(str(row["debit"])) for row in from_sheet)
    credits = sum(Decimal(str(row["credit"])) for row in from_sheet)
    assert debits == credits == sum(Decimal(row["debit"]) for row in expected)

    assert json.loads(_export(client, office, "json")) == expected

    events = _get(client, office, "/audit-events", "auditor", action="vouchers.exported")["items"]
    assert sorted(e["details"]["format"] for e in events) == ["csv", "json", "xlsx"]
    assert {e["object_id"] for e in events} == {f"{office.entity.id}:2026-11"}
    assert {e["actor_id"] for e in events} == {str(office.finance.id)}


def test_the_finance_api_pages_filters_and_stays_within_the_callers_entities(
    client: TestClient, session: Session
):
    office = make_office(session)
    vouchers = _ledger(client, office, session)
    everything = {v["id"] for v in vouchers.values()}

    seen: list[str] = []
    cursor = None
    for _ in range(len(everything) + 1):
        params = {"limit": 1} if cursor is None else {"limit": 1, "cursor": cursor}
        page = _get(client, office, "/vouchers", **params)
        seen += [v["id"] for v in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [vouchers[k]["id"] for k in ("december", "payment", "booking")]  # newest first

    since = vouchers["payment"]["updated_at"]
    pulled = _get(client, office, "/vouchers", updated_since=since)["items"]
    assert {v["id"] for v in pulled} == {vouchers["payment"]["id"], vouchers["december"]["id"]}
    assert _get(client, office, "/vouchers", period="2026-12")["items"] == [vouchers["december"]]
    naive = client.get(
        f"{API}/vouchers",
        params={"updated_since": "2026-11-20T10:00:00"},
        headers=office.headers["finance"],
    )
    assert problem(naive, 422, "validation-error")["errors"][0]["field"] == "updated_since"

    # Auditors read; employees do not.
    voucher_url = f"/vouchers/{vouchers['booking']['id']}"
    assert _get(client, office, voucher_url, "auditor") == vouchers["booking"]
    for url in ("/vouchers", voucher_url, "/vouchers/export?period=2026-11", "/periods"):
        problem(client.get(f"{API}{url}", headers=office.headers["employee"]), 403, "forbidden")

    # Another entity's ledger is out of sight: 404, never 403.
    elsewhere = make_office(session)
    foreign = _ledger_of_one(client, elsewhere, session)
    for url in (f"/vouchers/{foreign['id']}", f"/vouchers?entity={elsewhere.entity.id}"):
        problem(client.get(f"{API}{url}", headers=office.headers["finance"]), 404, "not-found")
    reverse = client.post(
        f"{API}/vouchers/{foreign['id']}/reverse",
        json={"reason": "越权"},
        headers=office.headers["finance"],
    )
    problem(reverse, 404, "not-found")
    assert {v["id"] for v in _get(client, office, "/vouchers")["items"]} == everything


def _ledger_of_one(client: TestClient, office: Office, session: Session) -> dict[str, Any]:
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    return booked_voucher(client, office, claim["id"])
