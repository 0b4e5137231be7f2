"""Fixing a draft on its page: title and purpose, an item's 说明 that clears its blocking
finding, deleting the draft only when confirmed, and a rejection shown only while it is news."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.claims_support import API, Org, act, clean_invoice, draft, make_org, trip_spec, verify
from tests.claims_support import upload as upload_invoice
from tests.web.helpers import HTML, login, post_form


def _claim(client: TestClient, org: Org, claim_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/claims/{claim_id}", headers=org.h("employee"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _colleagues_ticket_draft(client: TestClient, session: Session, org: Org) -> dict[str, Any]:
    ticket = upload_invoice(client, org.h("employee"), trip_spec(session, org, who="colleague"))
    verify(session, ticket["id"])
    return draft(client, org, ticket["id"])


def test_the_claimant_edits_the_title_and_purpose_of_a_draft(client: TestClient, session: Session):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    login(client, org.employee)
    page = client.get(f"/claims/{claim['id']}", headers=HTML).text
    assert f'action="/claims/{claim["id"]}/edit"' in page
    assert f'<dd class="mono claim-number">{claim["number"]}</dd>' in page
    url = f"/claims/{claim['id']}"
    saved = post_form(client, url, f"{url}/edit", {"title": "上海年会", "purpose": "年度会议"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{url}?done=edited"
    stored = _claim(client, org, str(claim["id"]))
    assert (stored["title"], stored["purpose"]) == ("上海年会", "年度会议")
    assert "标题和事由已保存。" in client.get(f"{url}?done=edited", headers=HTML).text


def test_a_blank_title_is_refused_in_words_and_what_was_typed_stays(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    login(client, org.employee)
    url = f"/claims/{claim['id']}"
    refused = post_form(client, url, f"{url}/edit", {"title": " ", "purpose": "新的事由"})
    assert refused.status_code == 422
    assert "填写的内容有误" in refused.text
    assert "新的事由</textarea>" in refused.text  # the purpose typed is not lost
    assert '<details class="panel draft-edit" open>' in refused.text
    assert _claim(client, org, str(claim["id"]))["title"] == claim["title"]


def test_a_justification_typed_inline_clears_the_block_and_keeps_the_item(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = _colleagues_ticket_draft(client, session, org)
    item_id = claim["items"][0]["id"]
    login(client, org.employee)
    url = f"/claims/{claim['id']}"
    page = client.get(url, headers=HTML).text
    assert "乘车人不是报销人本人，请为该票据填写说明。" in page
    assert 'id="submit-claim" disabled>' in page
    action = f"{url}/items/{item_id}/justification"
    assert f'action="{action}"' in page
    assert "needs-justification" in page
    saved = post_form(client, url, action, {"justification": "为同事赵六代订"})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{url}?done=justified#item-{item_id}"
    stored = _claim(client, org, str(claim["id"]))
    assert stored["findings"] == []
    assert [i["justification"] for i in stored["items"]] == ["为同事赵六代订"]
    after = client.get(url, headers=HTML).text
    assert "请为该票据填写说明" not in after
    assert 'value="为同事赵六代订"' in after
    assert 'id="submit-claim" disabled' not in after
    # Emptied again, the 说明 is gone and the block is back.
    assert post_form(client, url, action, {"justification": ""}).status_code == 303
    assert [f["code"] for f in _claim(client, org, str(claim["id"]))["findings"]] == [
        "passenger-not-claimant"
    ]


def test_only_the_claimant_justifies_and_only_in_a_draft(client: TestClient, session: Session):
    org = make_org(session)
    claim = _colleagues_ticket_draft(client, session, org)
    item_id = claim["items"][0]["id"]
    url = f"/claims/{claim['id']}"
    action = f"{url}/items/{item_id}/justification"
    login(client, org.manager)
    assert f'action="{action}"' not in client.get(url, headers=HTML).text
    refused = post_form(client, url, action, {"justification": "我来写"})
    assert refused.status_code == 403
    assert _claim(client, org, str(claim["id"]))["items"][0]["justification"] is None


def test_deleting_a_draft_needs_the_box_ticked_and_frees_its_invoice(
    client: TestClient, session: Session
):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    claim = draft(client, org, invoice_id)
    login(client, org.employee)
    url = f"/claims/{claim['id']}"
    unconfirmed = post_form(client, url, f"{url}/delete", {})
    assert unconfirmed.status_code == 422
    assert "请先勾选确认框。" in unconfirmed.text
    assert _claim(client, org, str(claim["id"]))["state"] == "draft"
    deleted = post_form(client, url, f"{url}/delete", {"confirm": "yes"})
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"/claims?deleted={claim['number']}"
    gone = client.get(f"{API}/claims/{claim['id']}", headers=org.h("employee"))
    assert gone.status_code == 404
    invoice = client.get(f"{API}/invoices/{invoice_id}", headers=org.h("employee")).json()
    assert invoice["status"] == "available"
    listed = client.get(deleted.headers["location"], headers=HTML).text
    assert f"草稿 {claim['number']} 已删除" in listed


def test_a_submitted_claim_offers_no_fixing_and_refuses_a_delete(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    assert act(client, org.h("employee"), str(claim["id"]), "submit").status_code == 200
    login(client, org.employee)
    url = f"/claims/{claim['id']}"
    page = client.get(url, headers=HTML).text
    for form in ("/edit", "/delete", "/justification"):
        assert f'{form}"' not in page
    refused = post_form(client, url, f"{url}/delete", {"confirm": "yes"})
    assert refused.status_code == 409
    assert _claim(client, org, str(claim["id"]))["state"] == "submitted"


def test_a_rejection_withdrawn_after_resubmission_is_not_news_again(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    claim_id = str(claim["id"])
    employee = org.h("employee")
    assert act(client, employee, claim_id, "submit").status_code == 200
    rejected = act(client, org.h("manager"), claim_id, "reject", {"reason": "缺少会议通知"})
    assert rejected.status_code == 200
    login(client, org.employee)
    assert (
        '<dd class="rejection">缺少会议通知</dd>'
        in client.get(f"/claims/{claim_id}", headers=HTML).text
    )
    assert act(client, employee, claim_id, "submit").status_code == 200
    assert act(client, employee, claim_id, "withdraw").status_code == 200
    page = client.get(f"/claims/{claim_id}", headers=HTML).text
    assert _claim(client, org, claim_id)["last_rejection"] is not None  # the API keeps it
    assert 'class="rejection"' not in page
    assert "缺少会议通知" in page  # the history still says why it came back once
