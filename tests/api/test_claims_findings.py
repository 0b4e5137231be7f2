"""Each policy rule through the API: findings on read, at submission and when the world changes."""

from __future__ import annotations

import random
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col

from app.invoices.models import Invoice
from railclaim_devkit.synthetic import fee_invoice_for
from tests.claims_support import (
    API,
    act,
    clean_invoice,
    codes,
    create_claim,
    days_ago,
    draft,
    make_org,
    problem,
    register_paper,
    trip_spec,
    upload,
    verify,
)


def read(client: TestClient, headers: dict[str, str], claim_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/claims/{claim_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_seat_class_follows_the_travellers_grade(client: TestClient, session: Session):
    org = make_org(session)  # employee grade 2, colleague grade 4
    first = clean_invoice(client, session, org, seat_class="一等座")
    business = clean_invoice(client, session, org, seat_class="商务座")
    claim = draft(client, org, first, business)
    found = [(f["code"], f["item_id"]) for f in claim["findings"]]
    assert found == [
        ("seat-class-above-grade", claim["items"][0]["id"]),
        ("seat-class-above-grade", claim["items"][1]["id"]),
    ]
    assert "grade 3" in claim["findings"][0]["message"]
    assert "grade 6" in claim["findings"][1]["message"]
    theirs = upload(
        client, org.h("colleague"), trip_spec(session, org, who="colleague", seat_class="一等座")
    )
    verify(session, theirs["id"])
    response = create_claim(client, org.h("colleague"), [{"invoice_id": theirs["id"]}])
    assert response.json()["findings"] == []


def test_late_submission(client: TestClient, session: Session):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org, travel_date=days_ago(181)))
    assert codes(claim) == {"late-submission": "warn"}
    on_time = draft(client, org, clean_invoice(client, session, org, travel_date=days_ago(180)))
    assert codes(on_time) == {}


def test_a_colleagues_ticket_needs_a_justification(client: TestClient, session: Session):
    org = make_org(session)
    ticket = upload(
        client, org.h("employee"), trip_spec(session, org, who="colleague", seat_class="一等座")
    )
    verify(session, ticket["id"])
    assert "passenger-not-uploader" in [w["code"] for w in ticket["warnings"]]
    claim = draft(client, org, ticket["id"])
    assert codes(claim) == {"passenger-not-claimant": "block"}
    refused = problem(
        act(client, org.h("employee"), claim["id"], "submit"), 409, "blocking-findings"
    )
    assert [(f["code"], f["item_id"]) for f in refused["findings"]] == [
        ("passenger-not-claimant", claim["items"][0]["id"])
    ]
    url = f"{API}/claims/{claim['id']}/items"
    client.delete(f"{url}/{claim['items'][0]['id']}", headers=org.h("employee"))
    justified = client.post(
        url,
        json={"invoice_id": ticket["id"], "justification": "为同事赵六代订"},
        headers=org.h("employee"),
    ).json()
    # The colleague (grade 4) may travel first class: the traveller's grade counts.
    assert justified["findings"] == []
    assert justified["items"][0]["justification"] == "为同事赵六代订"
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200


def test_a_fee_whose_sale_is_unknown_until_the_sale_arrives(client: TestClient, session: Session):
    org = make_org(session)
    sale = trip_spec(session, org)
    fee = upload(client, org.h("employee"), fee_invoice_for(sale, random.Random(3), "refund"))
    verify(session, fee["id"])
    claim = draft(client, org, fee["id"])
    assert codes(claim) == {"sale-unknown": "warn"}
    upload(client, org.h("employee"), sale)
    assert codes(read(client, org.h("employee"), claim["id"])) == {}


def test_near_duplicate_trips(client: TestClient, session: Session):
    org = make_org(session)
    twin = {"train_number": "G7", "travel_date": days_ago(12)}
    first = clean_invoice(client, session, org, **twin)
    second = clean_invoice(client, session, org, **twin)
    claim = draft(client, org, first, second)
    assert [f["code"] for f in claim["findings"]] == ["near-duplicate", "near-duplicate"]
    alone = client.delete(
        f"{API}/claims/{claim['id']}/items/{claim['items'][0]['id']}", headers=org.h("employee")
    ).json()
    # The invoice that arrived second carries the intake's near-duplicate warning.
    assert codes(alone) == {"near-duplicate": "warn"}


def test_reissued_tickets_block_submission(client: TestClient, session: Session):
    org = make_org(session)
    original = trip_spec(session, org)
    reissue = trip_spec(
        session,
        org,
        e_ticket_number=original.e_ticket_number,
        travel_date=original.travel_date,
        train_number=original.train_number,
    )
    ids = [upload(client, org.h("employee"), s)["id"] for s in (original, reissue)]
    verify(session, *ids)
    claim = draft(client, org, ids[0])
    assert codes(claim) == {"ticket-reissued": "block"}
    problem(act(client, org.h("employee"), claim["id"], "submit"), 409, "blocking-findings")


def test_verification_mismatch_blocks(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    session.execute(
        update(Invoice)
        .where(col(Invoice.id) == uuid.UUID(invoice_id))
        .values(verification="mismatch")
    )
    session.commit()
    assert codes(draft(client, org, invoice_id)) == {"verification-mismatch": "block"}


def test_an_unreceived_paper_original_blocks_booking_not_submission(
    client: TestClient, session: Session
):
    org = make_org(session)
    paper = register_paper(client, org)
    claim = create_claim(client, org.h("employee"), [{"paper_voucher_id": paper["id"]}]).json()
    missing = [f for f in claim["findings"] if f["code"] == "paper-original-missing"]
    assert [(f["severity"], f["blocks_booking"]) for f in missing] == [("warn", True)]
    # Paper vouchers end with travel on 2025-09-30, so they are late by now too.
    assert codes(claim) == {"paper-original-missing": "warn", "late-submission": "warn"}
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    received = client.post(
        f"{API}/paper-vouchers/{paper['id']}/receive",
        json={"received_on": "2026-11-20", "location": "财务室A柜"},
        headers=org.h("finance"),
    )
    assert received.status_code == 200, received.text
    assert codes(read(client, org.h("employee"), claim["id"])) == {"late-submission": "warn"}


def test_findings_are_judged_on_the_submission_date(client: TestClient, session: Session):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org, travel_date=days_ago(175)))
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    # Ten days on, the submitted claim is still on time: it was submitted on day 175.
    session.execute(
        update(Invoice)
        .where(col(Invoice.id) == uuid.UUID(claim["items"][0]["invoice_id"]))
        .values(travel_date=days_ago(180))
    )
    session.commit()
    assert codes(read(client, org.h("manager"), claim["id"])) == {}
    session.execute(
        update(Invoice)
        .where(col(Invoice.id) == uuid.UUID(claim["items"][0]["invoice_id"]))
        .values(travel_date=days_ago(181))
    )
    session.commit()
    assert codes(read(client, org.h("manager"), claim["id"])) == {"late-submission": "warn"}
