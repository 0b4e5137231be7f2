"""Claim pages: create from my invoices, findings, submit, approve with acknowledgement, reject,
book and pay by two finance clerks, the printable 报销单; CSRF, roles and sight."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import Office, make_office, upload_invoice
from tests.factories import make_employee
from tests.web.helpers import HTML, csrf_of, login, post_form


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def new_claim(client: TestClient, invoice_ids: list[str], **extra: str) -> str:
    """Posts the new-claim form as the logged-in user; the new claim's id."""
    page = client.get("/claims/new", headers=HTML)
    assert page.status_code == 200
    data: dict[str, str | list[str]] = {
        "title": "上海出差",
        "purpose": "客户拜访",
        "csrf_token": csrf_of(page),
        "items": [f"invoice:{i}" for i in invoice_ids],
        **extra,
    }
    response = client.post("/claims/new", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/claims/([0-9a-f-]{36})\?done=created", response.headers["location"])
    assert match
    return match.group(1)


def act(client: TestClient, claim_id: str, action: str, data: dict[str, str] | None = None):
    return post_form(client, f"/claims/{claim_id}", f"/claims/{claim_id}/{action}", data or {})


def test_claim_from_invoice_to_paid_through_the_pages(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session, fare=Decimal("553.00"))
    login(client, office.employee)
    assert invoice["invoice_number"] in client.get("/claims/new", headers=HTML).text
    claim_id = new_claim(client, [invoice["id"]])
    detail = client.get(f"/claims/{claim_id}?done=created", headers=HTML)
    assert "报销单已保存为草稿" in detail.text
    assert "发票尚未通过税务平台查验" in detail.text  # the unverified warning, in words
    assert act(client, claim_id, "submit").status_code == 303
    assert "待审批" in client.get(f"/claims/{claim_id}", headers=HTML).text

    client.cookies.clear()
    login(client, office.manager)
    inbox = client.get("/approvals", headers=HTML)
    assert f"/claims/{claim_id}" in inbox.text
    assert "¥553.00" in inbox.text
    refused = act(client, claim_id, "approve", {"comment": "同意"})
    assert refused.status_code == 409
    assert "请先确认提示事项" in refused.text
    approved = act(client, claim_id, "approve", {"comment": "同意", "acknowledge_warnings": "on"})
    assert approved.status_code == 303
    assert f"/claims/{claim_id}" not in client.get("/approvals", headers=HTML).text

    client.cookies.clear()
    login(client, office.finance)
    assert f"/claims/{claim_id}" in client.get("/finance/claims", headers=HTML).text
    booked = act(client, claim_id, "book", {"booking_date": "2026-11-20"})
    assert booked.status_code == 303, booked.text
    same_clerk = act(client, claim_id, "pay", {"paid_on": "2026-11-21", "reference": "B-1"})
    assert same_clerk.status_code == 403
    assert "不相容职务分离" in same_clerk.text
    assert "Traceback" not in same_clerk.text

    client.cookies.clear()
    login(client, office.finance2)
    paid = act(client, claim_id, "pay", {"paid_on": "2026-11-21", "reference": "B-1"})
    assert paid.status_code == 303, paid.text
    page = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert "已支付" in page
    printable = client.get(f"/claims/{claim_id}/print", headers=HTML)
    assert printable.status_code == 200
    assert "人民币伍佰伍拾叁元整" in printable.text
    assert "@media print" in client.get("/static/css/print.css").text
    assert "<script>" not in printable.text
    for action in ("批准", "入账", "支付"):
        assert action in printable.text


def test_passenger_not_claimant_blocks_submit_until_justified(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session, passenger=office.manager)
    # The manager's ticket uploaded by the employee is the employee's only if assigned so;
    # the upload by the employee makes it theirs.
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    refused = act(client, claim_id, "submit")
    assert refused.status_code == 409
    assert "报销单有阻止提交的问题" in refused.text
    assert "乘车人不是报销人本人" in refused.text


def test_reject_needs_a_reason_and_shows_it(client: TestClient, session: Session, office: Office):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    act(client, claim_id, "submit")
    client.cookies.clear()
    login(client, office.manager)
    assert act(client, claim_id, "reject", {"reason": ""}).status_code == 422
    assert act(client, claim_id, "reject", {"reason": "缺少行程单"}).status_code == 303
    client.cookies.clear()
    login(client, office.employee)
    page = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert "缺少行程单" in page
    assert "草稿" in page


def test_withdraw_and_remove_an_item(client: TestClient, session: Session, office: Office):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    act(client, claim_id, "submit")
    assert act(client, claim_id, "withdraw").status_code == 303
    page = client.get(f"/claims/{claim_id}", headers=HTML).text
    item_id = re.search(rf"/claims/{claim_id}/items/([0-9a-f-]{{36}})/remove", page)
    assert item_id
    assert act(client, claim_id, f"items/{item_id.group(1)}/remove").status_code == 303
    assert invoice["invoice_number"] in client.get("/claims/new", headers=HTML).text


def test_new_claim_form_errors_are_shown(client: TestClient, office: Office):
    login(client, office.employee)
    response = post_form(client, "/claims/new", "/claims/new", {"title": "", "purpose": ""})
    assert response.status_code == 422
    assert 'class="field invalid"' in response.text


def test_claim_posts_need_the_csrf_token(client: TestClient, office: Office):
    """Refused before the claim is even looked up: a random id will do."""
    login(client, office.finance)
    claim_id, item_id = uuid.uuid4(), uuid.uuid4()
    for action in (
        "submit",
        "withdraw",
        "approve",
        "reject",
        "book",
        "pay",
        f"items/{item_id}/remove",
    ):
        response = client.post(f"/claims/{claim_id}/{action}", data={"reason": "x"})
        assert response.status_code == 403, action
        assert "表单已失效" in response.text


def test_new_claim_post_needs_the_csrf_token(client: TestClient, office: Office):
    login(client, office.employee)
    response = client.post("/claims/new", data={"title": "t", "purpose": "p"})
    assert response.status_code == 403
    assert "表单已失效" in response.text


def test_another_employees_claim_is_a_404(client: TestClient, session: Session, office: Office):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    client.cookies.clear()
    login(client, make_employee(session, office.entity, name="李四", last4="4321"))
    for path in (f"/claims/{claim_id}", f"/claims/{claim_id}/print"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 404
        assert "找不到该页面或对象" in page.text
    # Posting to it finds nothing either (a page of the visitor's own carries the token).
    token = csrf_of(client.get("/claims", headers=HTML))
    response = client.post(f"/claims/{claim_id}/submit", data={"csrf_token": token})
    assert response.status_code == 404


def test_roles_gate_the_finance_and_writer_pages(client: TestClient, office: Office):
    login(client, office.employee)
    assert client.get("/finance/claims", headers=HTML).status_code == 403
    client.cookies.clear()
    login(client, office.auditor)
    page = client.get("/claims/new", headers=HTML)
    assert page.status_code == 403
    assert "没有权限" in page.text


def test_a_paper_voucher_with_a_justification_and_the_invoice_preselected(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    detail = client.get(f"/invoices/{invoice['id']}", headers=HTML)
    assert f'href="/claims/new?invoice={invoice["id"]}"' in detail.text
    preselected = client.get(f"/claims/new?invoice={invoice['id']}", headers=HTML).text
    assert f'value="invoice:{invoice["id"]}" aria-label="{invoice["invoice_number"]}" checked' in (
        preselected
    )
    paper = post_form(
        client,
        "/paper-vouchers/new",
        "/paper-vouchers/new",
        {
            "serial_number": "Z00000001",
            "e_ticket_number": "E99990000111122",
            "travel_date": "2025-09-20",
            "train_number": "G1",
            "departure_station": "北京南",
            "arrival_station": "上海虹桥",
            "seat_class": "二等座",
            "fare": "553.00",
            "passenger_name": "张三",
            "passenger_id_masked": "1101011990****1234",
        },
    )
    assert paper.status_code == 303, paper.text
    page = client.get("/claims/new", headers=HTML)
    paper_id = re.search(r'value="paper:([0-9a-f-]{36})"', page.text)
    assert paper_id
    response = client.post(
        "/claims/new",
        data={
            "title": "北京出差",
            "purpose": "培训",
            "items": f"paper:{paper_id.group(1)}",
            f"justification:{paper_id.group(1)}": "纸质凭证，过渡期行程",
            "csrf_token": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    claim = client.get(response.headers["location"], headers=HTML).text
    assert "Z00000001" in claim
    assert "纸质凭证，过渡期行程" in claim
    assert "纸质原件尚未交到财务" in claim  # blocks booking, not submission
    assert "disabled" not in claim.split('id="submit-claim"')[1].split(">")[0]


def test_the_claim_page_speaks_english(client: TestClient, session: Session, office: Office):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    page = client.get(f"/claims/{claim_id}?lang=en", headers=HTML).text
    assert "Submit for approval" in page
    assert "has not been verified" in page  # the finding's own English message
    assert "提交审批" not in page
