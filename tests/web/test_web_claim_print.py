"""The printed 报销单 names the company, the claim number, the claimant's department, 附件张数
and, once booked and paid, the voucher numbers; the payment voucher page shows its attachments."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import (
    API,
    DEPARTMENT,
    approved_claim,
    booked_voucher,
    make_office,
    upload_invoice,
)
from tests.web.helpers import HTML, login


def test_the_print_view_carries_the_sheet_header_and_the_voucher_numbers(
    client: TestClient, session: Session
):
    office = make_office(session)
    invoices = [
        upload_invoice(client, office, session, fare=Decimal(fare)) for fare in ("553.00", "9.50")
    ]
    claim = approved_claim(client, office, [{"invoice_id": i["id"]} for i in invoices])
    login(client, office.employee)
    before = client.get(f"/claims/{claim['id']}/print", headers=HTML).text
    assert f'<p class="company">{office.entity.name}</p>' in before
    assert re.fullmatch(r"BX-\d{6}-\d{4}", claim["number"])
    assert f'<td class="mono claim-number">{claim["number"]}</td>' in before
    assert f'<td class="department">{DEPARTMENT}</td>' in before
    assert '<td class="attachments">2 张</td>' in before
    assert '<td class="voucher-numbers">—</td>' in before  # not booked yet

    booking = booked_voucher(client, office, claim["id"])
    paid = client.post(
        f"{API}/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-25", "reference": "CMB-1"},
        headers=office.headers["finance2"],
    )
    assert paid.status_code == 200, paid.text
    after = client.get(f"/claims/{claim['id']}/print", headers=HTML).text
    numbers = re.search(r'<td class="voucher-numbers">(.*?)</td>', after)
    assert numbers
    assert re.findall(r'<span class="mono">(记-\d{4}-\d{2}-\d{4})</span>', numbers.group(1)) == [
        booking["number"],
        "记-2026-11-0002",
    ]
    assert "报销入账" in numbers.group(1)
    assert "付款" in numbers.group(1)


def test_the_print_view_in_english(client: TestClient, session: Session):
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    login(client, office.employee)
    page = client.get(f"/claims/{claim['id']}/print?lang=en", headers=HTML).text
    assert "<th>Claim no.</th>" in page
    assert "<th>Attachments</th>" in page
    assert '<td class="attachments">1</td>' in page


def test_the_payment_voucher_page_shows_its_attachments_and_department(
    client: TestClient, session: Session
):
    office = make_office(session)
    invoice = upload_invoice(client, office, session, fare=Decimal("553.00"))
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    booked_voucher(client, office, claim["id"])
    paid = client.post(
        f"{API}/claims/{claim['id']}/pay",
        json={"paid_on": "2026-11-25", "reference": "CMB-2"},
        headers=office.headers["finance2"],
    )
    payment_id = paid.json()["voucher_ids"][1]
    login(client, office.finance)
    page = client.get(f"/finance/vouchers/{payment_id}", headers=HTML).text
    assert "<dt>附件张数</dt><dd>1</dd>" in page
    assert page.count(f"<td>{DEPARTMENT}</td>") == 2  # both lines of the payment
