"""Ledger pages: vouchers by period with lines, downloads from the export service, period
close and reopen, the input-VAT report; roles, CSRF and sight."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import (
    Office,
    approved_claim,
    booked_voucher,
    make_office,
    upload_invoice,
)
from tests.factories import make_entity, make_user
from tests.web.helpers import HTML, csrf_of, login, post_form


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


@pytest.fixture
def booked(client: TestClient, session: Session, office: Office) -> dict:
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    return booked_voucher(client, office, claim["id"], "2026-11-20")


def test_vouchers_of_a_period_with_their_lines(client: TestClient, office: Office, booked):
    login(client, office.finance)
    page = client.get("/finance/vouchers?period=2026-11", headers=HTML)
    assert page.status_code == 200
    assert booked["number"] in page.text
    assert "6602.03" in page.text
    assert "2221.01.01" in page.text
    detail = client.get(f"/finance/vouchers/{booked['id']}", headers=HTML)
    assert booked["total_in_words"] in detail.text
    empty = client.get("/finance/vouchers?period=2026-10", headers=HTML)
    assert "这个期间还没有凭证" in empty.text


def test_exports_download_from_the_export_service(client: TestClient, office: Office, booked):
    login(client, office.finance)
    response = client.get("/finance/vouchers/export?period=2026-11&format=csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="vouchers-2026-11.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["voucher_number"] for r in rows} == {booked["number"]}
    assert len(rows) == len(booked["lines"])
    xlsx = client.get("/finance/vouchers/export?period=2026-11&format=xlsx")
    assert xlsx.content.startswith(b"PK")
    assert "vouchers-2026-11.xlsx" in xlsx.headers["content-disposition"]


def test_close_refuses_bookings_in_words_and_admin_reopens(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    login(client, office.finance)
    page = client.get("/finance/periods", headers=HTML)
    closed = client.post(
        "/finance/periods/2026-10/close",
        data={"csrf_token": csrf_of(page), "confirm": "yes"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert "已结账" in client.get("/finance/periods", headers=HTML).text
    again = post_form(
        client, "/finance/periods", "/finance/periods/2026-10/close", {"confirm": "yes"}
    )
    assert again.status_code == 409
    assert "当前状态下不允许此操作" in again.text
    refused = post_form(
        client,
        f"/claims/{claim['id']}",
        f"/claims/{claim['id']}/book",
        {"booking_date": "2026-10-15"},
    )
    assert refused.status_code == 409
    assert "会计期间已结账" in refused.text
    assert (
        post_form(
            client, "/finance/periods", "/finance/periods/2026-10/reopen", {"confirm": "yes"}
        ).status_code
        == 403
    )
    client.cookies.clear()
    login(client, office.admin)
    reopened = post_form(
        client, "/finance/periods", "/finance/periods/2026-10/reopen", {"confirm": "yes"}
    )
    assert reopened.status_code == 303


def test_input_vat_report_page(client: TestClient, office: Office, booked):
    login(client, office.auditor)
    page = client.get("/finance/input-vat?period=2026-11", headers=HTML)
    assert page.status_code == 200
    assert "进项税额" in page.text
    assert "电子发票（铁路电子客票）" in page.text


def test_ledger_pages_by_role_and_sight(
    client: TestClient, session: Session, office: Office, booked
):
    login(client, office.employee)
    for path in ("/finance/vouchers", "/finance/periods", "/finance/input-vat"):
        assert client.get(path, headers=HTML).status_code == 403
    assert client.get("/finance/vouchers/export?period=2026-11").status_code == 403
    client.cookies.clear()
    login(client, office.auditor)
    assert client.get("/finance/periods", headers=HTML).status_code == 200
    token = csrf_of(client.get("/finance/periods", headers=HTML))
    response = client.post(
        "/finance/periods/2026-11/close", data={"csrf_token": token, "confirm": "yes"}
    )
    assert response.status_code == 403
    client.cookies.clear()
    stranger = make_user(session, "finance", entity=make_entity(session))
    login(client, stranger)
    assert client.get(f"/finance/vouchers/{booked['id']}", headers=HTML).status_code == 404


def test_period_posts_need_the_csrf_token(client: TestClient, office: Office):
    login(client, office.finance)
    response = client.post("/finance/periods/2026-11/close")
    assert response.status_code == 403
    assert "表单已失效" in response.text
