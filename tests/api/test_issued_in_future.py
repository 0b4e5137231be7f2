"""Issue 15 finding 10: an invoice dated after today (Asia/Shanghai) carries the blocking
finding `issued-in-future`, so its claim cannot be submitted (nor approved or booked)."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.claims.policy import DEFAULT_POLICY, ClaimFacts, ItemFacts, evaluate
from app.kit.dates import business_today
from tests.claims_support import (
    API,
    act,
    clean_invoice,
    codes,
    days_ago,
    draft,
    make_org,
    problem,
)


def test_an_invoice_issued_after_today_blocks_its_claim(client: TestClient, session: Session):
    org = make_org(session)
    # The attack: an invoice of 2027-02 uploaded on 2026-12-02.
    future = business_today() + dt.timedelta(days=62)
    invoice_id = clean_invoice(client, session, org, travel_date=days_ago(3), issue_date=future)
    invoice = client.get(f"{API}/invoices/{invoice_id}", headers=org.h("employee")).json()
    assert "issued-in-future" in [w["code"] for w in invoice["warnings"]]
    claim = draft(client, org, invoice_id)
    assert codes(claim) == {"issued-in-future": "block"}
    refused = problem(
        act(client, org.h("employee"), claim["id"], "submit"), 409, "blocking-findings"
    )
    assert [(f["code"], f["item_id"]) for f in refused["findings"]] == [
        ("issued-in-future", claim["items"][0]["id"])
    ]


def test_an_invoice_issued_today_is_fine(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(
        client, session, org, travel_date=days_ago(3), issue_date=business_today()
    )
    claim = draft(client, org, invoice_id)
    assert codes(claim) == {}
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200


def test_the_rule_compares_with_the_submission_date():
    item = ItemFacts(
        item_id=uuid.uuid4(),
        label="invoice 1",
        kind="invoice",
        business_type="sale",
        status="available",
        verification="verified",
        issue_date=dt.date(2027, 2, 1),
    )
    on = dt.date(2026, 12, 2)
    [finding] = evaluate(ClaimFacts(items=(item,), submission_date=on), DEFAULT_POLICY)
    assert (finding.code, finding.severity, finding.item_id) == (
        "issued-in-future",
        "block",
        item.item_id,
    )
    assert "2027-02-01" in finding.message
    later = ClaimFacts(items=(item,), submission_date=dt.date(2027, 2, 1))
    assert evaluate(later, DEFAULT_POLICY) == []
