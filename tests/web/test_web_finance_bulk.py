"""Finance lists: bulk book, bulk pay and bulk 用途确认 from ticked rows, each item on its own;
the 待入账 list shows each finding beside the invoice it concerns."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import API, Office, approved_claim, make_office, upload_invoice
from tests.web.helpers import HTML, csrf_of, login


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def _two_approved(client: TestClient, session: Session, office: Office) -> list[dict]:
    claims = []
    for _ in range(2):
        invoice = upload_invoice(client, office, session)
        claims.append(approved_claim(client, office, [{"invoice_id": invoice["id"]}]))
    return claims


def _post(client: TestClient, page: str, action: str, data: dict) -> object:
    token = csrf_of(client.get(page, headers=HTML))
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def test_clerk_one_books_two_in_bulk_and_clerk_two_pays_them(
    client: TestClient, session: Session, office: Office
):
    claims = _two_approved(client, session, office)
    ids = [c["id"] for c in claims]
    login(client, office.finance)
    page = client.get("/finance/claims", headers=HTML)
    for claim_id in ids:
        assert f'name="claim_ids" value="{claim_id}"' in page.text
    booked = _post(
        client,
        "/finance/claims",
        "/finance/claims/bulk-book",
        {"claim_ids": ids, "booking_date": "2026-11-20"},
    )
    assert booked.status_code == 200, booked.text
    assert "已入账 2 份报销单。" in booked.text
    for claim_id in ids:
        state = client.get(f"{API}/claims/{claim_id}", headers=office.headers["finance"])
        assert state.json()["state"] == "booked"
    # The booker may not pay: each refusal is reported in words, beside its claim.
    same_clerk = _post(
        client,
        "/finance/claims",
        "/finance/claims/bulk-pay",
        {"claim_ids": ids, "paid_on": "2026-11-21", "reference": "B-1"},
    )
    assert "已支付 0 份报销单。" in same_clerk.text
    assert same_clerk.text.count("不相容职务分离：此操作须由另一位财务人员完成") == 2
    client.cookies.clear()
    login(client, office.finance2)
    paid = _post(
        client,
        "/finance/claims",
        "/finance/claims/bulk-pay",
        {"claim_ids": ids, "paid_on": "2026-11-21", "reference": "B-2"},
    )
    assert "已支付 2 份报销单。" in paid.text
    for claim_id in ids:
        state = client.get(f"{API}/claims/{claim_id}", headers=office.headers["finance"])
        assert state.json()["state"] == "paid"


def test_one_refused_claim_does_not_sink_the_others(
    client: TestClient, session: Session, office: Office
):
    first, second = _two_approved(client, session, office)
    login(client, office.finance)
    once = _post(client, "/finance/claims", "/finance/claims/bulk-book", {"claim_ids": first["id"]})
    assert "已入账 1 份报销单。" in once.text
    again = _post(
        client,
        "/finance/claims",
        "/finance/claims/bulk-book",
        {"claim_ids": [first["id"], second["id"]]},
    )
    assert "已入账 1 份报销单。" in again.text
    assert "1 份未办理" in again.text
    assert f'href="/claims/{first["id"]}"' in again.text.split("1 份未办理")[1]


def test_nothing_ticked_keeps_the_list_and_says_so(
    client: TestClient, session: Session, office: Office
):
    _two_approved(client, session, office)
    login(client, office.finance)
    response = _post(
        client, "/finance/claims", "/finance/claims/bulk-book", {"booking_date": "2026-11-20"}
    )
    assert response.status_code == 422
    assert "请至少勾选一份报销单。" in response.text
    assert 'id="bulk-book"' in response.text  # the form is still there to correct


def test_findings_name_the_invoice_they_concern(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    login(client, office.finance)
    page = client.get("/finance/claims", headers=HTML).text
    assert "发票尚未通过税务平台查验" in page
    assert f'<a class="mono" href="/invoices/{invoice["id"]}">{invoice["invoice_number"]}' in page


def test_bulk_deduction_confirmation_records_the_date_for_each(
    client: TestClient, session: Session, office: Office
):
    invoices = [upload_invoice(client, office, session) for _ in range(2)]
    login(client, office.finance)
    page = client.get("/finance/deduction-confirmations", headers=HTML)
    assert page.status_code == 200
    for invoice in invoices:
        assert f'name="invoice_ids" value="{invoice["id"]}"' in page.text
    done = _post(
        client,
        "/finance/deduction-confirmations",
        "/finance/deduction-confirmations",
        {"invoice_ids": [i["id"] for i in invoices], "confirmed_on": "2026-11-25"},
    )
    assert "已记录 2 张发票的用途确认。" in done.text
    for invoice in invoices:
        body = client.get(f"{API}/invoices/{invoice['id']}", headers=office.headers["finance"])
        assert body.json()["deduction_confirmed_on"] == "2026-11-25"
        assert not re.search(f'value="{invoice["id"]}"', done.text)  # off the list now


def test_employees_cannot_reach_the_bulk_forms(
    client: TestClient, session: Session, office: Office
):
    login(client, office.employee)
    assert client.get("/finance/deduction-confirmations", headers=HTML).status_code == 403
    page = client.get("/claims", headers=HTML)
    response = client.post(
        "/finance/claims/bulk-book",
        data={"claim_ids": "00000000-0000-0000-0000-000000000000", "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 403
