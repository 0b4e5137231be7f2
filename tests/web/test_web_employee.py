"""Employee pages on a phone and at a desk: the script-free menu, the upload picker, building and
fixing a draft with a running total, business types, voucher numbers and a stale 退回原因."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.web.claim_present import VOUCHER_KINDS
from app.web.messages_en import EN
from tests.api.ledger_helpers import API, Office, approved_claim, book, make_office, upload_invoice
from tests.web.helpers import HTML, csrf_of, login, post_form
from tests.web.test_web_claims import act, new_claim


@pytest.fixture
def office(session: Session) -> Office:
    return make_office(session)


def test_the_menu_folds_away_without_any_script(client: TestClient, office: Office):
    login(client, office.employee)
    page = client.get("/invoices", headers=HTML)
    # A checkbox and its label toggle the sidebar in CSS; the page has no inline script or style.
    assert '<input type="checkbox" id="nav-toggle"' in page.text
    assert '<label for="nav-toggle" class="nav-button"' in page.text
    assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None
    assert " style=" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_the_upload_picker_takes_several_files_of_every_kind_a_phone_stores(
    client: TestClient, office: Office
):
    login(client, office.employee)
    page = client.get("/invoices/upload", headers=HTML).text
    picker = re.search(r'<input id="file-input" type="file" multiple accept="([^"]+)"', page)
    assert picker, page
    accepted = set(picker.group(1).split(","))
    assert {".pdf", ".ofd", ".xml", ".zip", "application/pdf", "application/zip"} <= accepted
    assert 'class="button primary pick-files" for="file-input"' in page


def test_invoice_lists_name_the_business_type_and_the_seat_class(
    client: TestClient, session: Session, office: Office
):
    upload_invoice(client, office, session, fare=Decimal("553.00"))
    login(client, office.employee)
    page = client.get("/invoices", headers=HTML).text
    assert '<span class="badge business-sale">售票</span>' in page
    assert "<th>席别</th>" in page
    assert "席位" not in page
    assert 'data-label="金额"' in page  # a card on a phone names each value


def test_a_draft_takes_more_documents_with_a_running_total(
    client: TestClient, session: Session, office: Office
):
    first = upload_invoice(client, office, session, fare=Decimal("553.00"))
    second = upload_invoice(client, office, session, fare=Decimal("0.50"))
    login(client, office.employee)
    claim_id = new_claim(client, [first["id"]])
    detail = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert f'href="/claims/{claim_id}/add"' in detail
    page = client.get(f"/claims/{claim_id}/add", headers=HTML)
    assert page.status_code == 200
    # The total starts from what the claim holds; the script adds what gets ticked.
    assert 'data-base="553.00"' in page.text
    assert "已选 0 张，合计 ¥553.00" in page.text
    assert f'data-amount="0.50" name="items" value="invoice:{second["id"]}"' in page.text
    assert f'value="invoice:{first["id"]}"' not in page.text  # already in the claim
    added = client.post(
        f"/claims/{claim_id}/add",
        data={"items": f"invoice:{second['id']}", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"/claims/{claim_id}?done=added"
    detail = client.get(f"/claims/{claim_id}?done=added", headers=HTML).text
    assert "已添加到报销单" in detail
    assert "¥553.50" in detail


def test_adding_nothing_says_so_and_a_submitted_claim_takes_nothing(
    client: TestClient, session: Session, office: Office
):
    first = upload_invoice(client, office, session)
    second = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [first["id"]])
    empty = post_form(client, f"/claims/{claim_id}/add", f"/claims/{claim_id}/add", {})
    assert empty.status_code == 422
    assert "请至少勾选一张票据" in empty.text
    assert act(client, claim_id, "submit").status_code == 303
    refused = post_form(
        client,
        f"/claims/{claim_id}/add",
        f"/claims/{claim_id}/add",
        {"items": f"invoice:{second['id']}"},
    )
    assert refused.status_code == 409
    assert 'class="alert error"' in refused.text
    items = client.get(f"{API}/claims/{claim_id}", headers=office.headers["employee"]).json()
    assert len(items["items"]) == 1


def test_the_claim_page_names_its_vouchers_by_number(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    booked = book(client, office, claim["id"])
    assert booked.status_code == 200, booked.text
    number = client.get(
        f"{API}/vouchers/{booked.json()['voucher_ids'][0]}", headers=office.headers["finance"]
    ).json()["number"]
    login(client, office.finance)
    page = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert re.fullmatch(r"记-\d{4}-\d{2}-\d{4}", number)
    voucher_id = booked.json()["voucher_ids"][0]
    assert f'class="mono" href="/finance/vouchers/{voucher_id}">{number}</a>' in page
    client.cookies.clear()
    login(client, office.employee)
    mine = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert f'<span class="mono">{number}</span>' in mine  # the employee cannot open the ledger


def test_an_old_rejection_is_not_shown_as_current_after_resubmission(
    client: TestClient, session: Session, office: Office
):
    invoice = upload_invoice(client, office, session)
    login(client, office.employee)
    claim_id = new_claim(client, [invoice["id"]])
    assert act(client, claim_id, "submit").status_code == 303
    rejected = client.post(
        f"{API}/claims/{claim_id}/reject",
        json={"reason": "请补充出差审批单"},
        headers=office.headers["manager"],
    )
    assert rejected.status_code == 200, rejected.text
    draft = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert '<dd class="rejection">请补充出差审批单</dd>' in draft
    assert act(client, claim_id, "submit").status_code == 303
    again = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert 'class="rejection"' not in again
    assert "请补充出差审批单" in again  # still in the history


def test_the_new_texts_have_english():
    for zh in VOUCHER_KINDS.values():
        assert zh in EN


def _submitted_claims(client: TestClient, session: Session, office: Office, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        invoice = upload_invoice(client, office, session)
        created = client.post(
            f"{API}/claims",
            json={"title": "出差", "purpose": "拜访", "items": [{"invoice_id": invoice["id"]}]},
            headers=office.headers["employee"],
        )
        assert created.status_code == 201, created.text
        claim_id = created.json()["id"]
        submitted = client.post(
            f"{API}/claims/{claim_id}/submit", headers=office.headers["employee"]
        )
        assert submitted.status_code == 200, submitted.text
        ids.append(claim_id)
    return ids


def test_the_approver_approves_several_claims_at_once_acknowledging_their_warnings(
    client: TestClient, session: Session, office: Office
):
    first, second, third = _submitted_claims(client, session, office, 3)
    login(client, office.manager)
    inbox = client.get("/approvals", headers=HTML)
    assert 'class="data stacked inbox"' in inbox.text
    assert 'name="acknowledge_warnings"' in inbox.text  # unverified invoices warn
    unacknowledged = client.post(
        "/approvals/approve",
        data={"claim_ids": [first], "comment": "同意", "csrf_token": csrf_of(inbox)},
    )
    assert unacknowledged.status_code == 200
    assert "已批准 0 张，未批准 1 张。" in unacknowledged.text
    assert "请先确认提示事项" in unacknowledged.text
    approved = client.post(
        "/approvals/approve",
        data={
            "claim_ids": [first, second],
            "comment": "同意",
            "acknowledge_warnings": "on",
            "csrf_token": csrf_of(inbox),
        },
    )
    assert approved.status_code == 200
    assert "已批准 2 张，未批准 0 张。" in approved.text
    for claim_id, state in ((first, "approved"), (second, "approved"), (third, "submitted")):
        claim = client.get(f"{API}/claims/{claim_id}", headers=office.headers["manager"]).json()
        assert claim["state"] == state
    assert claim_id_in(approved.text, third)
    assert not claim_id_in(approved.text, first)
    decided = client.get(f"{API}/claims/{first}", headers=office.headers["manager"]).json()
    assert decided["approvals"][0]["comment"] == "同意"


def claim_id_in(page: str, claim_id: str) -> bool:
    return f'name="claim_ids" value="{claim_id}"' in page


def test_approving_nothing_ticked_says_so_and_changes_nothing(
    client: TestClient, session: Session, office: Office
):
    [claim_id] = _submitted_claims(client, session, office, 1)
    login(client, office.manager)
    refused = post_form(client, "/approvals", "/approvals/approve", {"comment": "同意"})
    assert refused.status_code == 422
    assert "请至少勾选一张报销单" in refused.text
    assert claim_id_in(refused.text, claim_id)
    client.cookies.clear()
    login(client, office.employee)
    # An employee who approves nobody gets every claim refused, not approved.
    own = post_form(
        client,
        "/claims",
        "/approvals/approve",
        {"claim_ids": claim_id, "acknowledge_warnings": "on"},
    )
    assert "已批准 0 张，未批准 1 张。" in own.text
