"""Fixing drafts through the API (title, purpose, justification, deletion) and claim numbers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.kit.dates import business_today
from tests.claims_support import (
    API,
    act,
    clean_invoice,
    codes,
    draft,
    make_org,
    problem,
    submitted,
    trip_spec,
    upload,
    verify,
)


def test_the_claimant_edits_a_drafts_title_and_purpose(client: TestClient, session: Session):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    url = f"{API}/claims/{claim['id']}"
    edited = client.patch(url, json={"title": "上海出差"}, headers=org.h("employee"))
    assert edited.status_code == 200, edited.text
    assert (edited.json()["title"], edited.json()["purpose"]) == ("上海出差", "客户拜访")
    edited = client.patch(url, json={"purpose": "年度客户会议"}, headers=org.h("employee"))
    assert (edited.json()["title"], edited.json()["purpose"]) == ("上海出差", "年度客户会议")
    for bad in ({}, {"title": None}, {"title": " "}, {"state": "paid"}):
        problem(client.patch(url, json=bad, headers=org.h("employee")), 422, "validation-error")
    # The manager sees the claim but it is not theirs to change; once submitted nobody edits it.
    problem(client.patch(url, json={"title": "x"}, headers=org.h("manager")), 403, "forbidden")
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    problem(client.patch(url, json={"title": "x"}, headers=org.h("employee")), 409, "invalid-state")


def test_a_justification_clears_the_blocking_finding_without_removing_the_item(
    client: TestClient, session: Session
):
    org = make_org(session)
    ticket = upload(client, org.h("employee"), trip_spec(session, org, who="colleague"))
    verify(session, ticket["id"])
    claim = draft(client, org, ticket["id"])
    assert codes(claim) == {"passenger-not-claimant": "block"}
    item_url = f"{API}/claims/{claim['id']}/items/{claim['items'][0]['id']}"
    justified = client.patch(
        item_url, json={"justification": "为同事赵六代订"}, headers=org.h("employee")
    )
    assert justified.status_code == 200, justified.text
    assert justified.json()["findings"] == []
    assert justified.json()["items"][0]["justification"] == "为同事赵六代订"
    cleared = client.patch(item_url, json={"justification": None}, headers=org.h("employee"))
    assert codes(cleared.json()) == {"passenger-not-claimant": "block"}
    missing = f"{API}/claims/{claim['id']}/items/{claim['id']}"
    problem(
        client.patch(missing, json={"justification": "x"}, headers=org.h("employee")),
        404,
        "not-found",
    )
    client.patch(item_url, json={"justification": "代订"}, headers=org.h("employee"))
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200


def test_deleting_a_draft_frees_its_invoices(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    claim = draft(client, org, invoice_id)
    url = f"{API}/claims/{claim['id']}"
    problem(client.delete(url, headers=org.h("manager")), 403, "forbidden")
    problem(client.delete(url, headers=org.h("colleague")), 404, "not-found")
    response = client.delete(url, headers=org.h("employee"))
    assert response.status_code == 204, response.text
    problem(client.get(url, headers=org.h("employee")), 404, "not-found")
    invoice = client.get(f"{API}/invoices/{invoice_id}", headers=org.h("employee")).json()
    assert invoice["status"] == "available"
    again = draft(client, org, invoice_id)  # the invoice can be claimed again
    assert again["items"][0]["invoice_id"] == invoice_id
    # A submitted claim is not a draft: withdraw it first.
    sent = submitted(client, session, org)
    problem(
        client.delete(f"{API}/claims/{sent['id']}", headers=org.h("employee")), 409, "invalid-state"
    )


def test_claims_are_numbered_per_entity_and_month_of_creation(client: TestClient, session: Session):
    org, other = make_org(session), make_org(session)
    month = business_today().strftime("%Y%m")
    first = draft(client, org, clean_invoice(client, session, org))
    second = draft(client, org, clean_invoice(client, session, org))
    elsewhere = draft(client, other, clean_invoice(client, session, other))
    assert re.fullmatch(r"BX-\d{6}-\d{4}", first["number"])
    assert first["number"] == f"BX-{month}-0001"
    assert second["number"] == f"BX-{month}-0002"
    assert elsewhere["number"] == f"BX-{month}-0001"  # numbering is per entity
    # A refused creation gives its number back: the next claim takes it.
    refused = client.post(
        f"{API}/claims",
        json={
            "title": "t",
            "purpose": "p",
            "items": [{"invoice_id": first["items"][0]["invoice_id"]}],
        },
        headers=org.h("employee"),
    )
    assert refused.status_code == 409, refused.text
    third = draft(client, org, clean_invoice(client, session, org))
    assert third["number"] == f"BX-{month}-0003"
    listed = client.get(f"{API}/claims", headers=org.h("employee")).json()["items"]
    assert {c["number"] for c in listed} == {first["number"], second["number"], third["number"]}
