"""Bulk approve, book, pay and 用途确认: each item stands alone under the single-item rules."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.ledger_helpers import Office, approved_claim, make_office, upload_invoice
from tests.claims_support import act, make_org, problem, submitted
from tests.factories import bearer, make_entity, make_user

API = "/api/v1"


def _outcomes(body: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in body["results"]}


def _slug(body: dict[str, Any], item_id: str) -> str:
    found = next(r for r in body["results"] if r["id"] == item_id)
    return str(found["problem"]["type"]).rsplit("/", 1)[-1]


def _approved(client: TestClient, office: Office, session: Session) -> str:
    invoice = upload_invoice(client, office, session)
    return str(approved_claim(client, office, [{"invoice_id": invoice["id"]}])["id"])


def test_bulk_approve_approves_each_and_refuses_what_the_single_approve_would(
    client: TestClient, session: Session
):
    org = make_org(session)
    first, second = submitted(client, session, org), submitted(client, session, org)
    own = submitted(client, session, org)  # the manager's report; approved below, then again
    assert act(client, org.h("manager"), own["id"], "approve", {}).status_code == 200
    # Another organisation's claim the manager cannot see: refused as not found, like an
    # id that exists nowhere; nothing leaks.
    unseen = submitted(client, session, make_org(session))["id"]
    nowhere = str(uuid.uuid4())
    response = client.post(
        f"{API}/claims/bulk-approve",
        json={
            "claim_ids": [first["id"], second["id"], own["id"], unseen, nowhere, first["id"]],
            "comment": "同意",
        },
        headers=org.h("manager"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert _outcomes(body) == {
        first["id"]: "done",
        second["id"]: "done",
        own["id"]: "refused",
        unseen: "refused",
        nowhere: "refused",
    }
    assert body["counts"] == {"done": 2, "refused": 3}
    assert _slug(body, own["id"]) == "invalid-state"
    hidden = next(r["problem"] for r in body["results"] if r["id"] == unseen)
    absent = next(r["problem"] for r in body["results"] if r["id"] == nowhere)
    assert hidden == absent
    assert "problem" not in body["results"][0]
    for claim in (first, second):
        read = client.get(f"{API}/claims/{claim['id']}", headers=org.h("employee")).json()
        assert read["state"] == "approved"
        assert read["approvals"][0]["comment"] == "同意"
    # The claimant cannot approve their own (self-approval), in bulk as singly.
    third = submitted(client, session, org)
    mine = client.post(
        f"{API}/claims/bulk-approve", json={"claim_ids": [third["id"]]}, headers=org.h("employee")
    ).json()
    assert _slug(mine, third["id"]) == "self-approval"


def test_bulk_book_and_pay_with_segregation_of_duties(client: TestClient, session: Session):
    office = make_office(session)
    claims = [_approved(client, office, session) for _ in range(3)]
    booked = client.post(
        f"{API}/claims/bulk-book",
        json={"claim_ids": claims, "booking_date": "2026-11-20"},
        headers=office.headers["finance"],
    )
    assert booked.status_code == 200, booked.text
    assert booked.json()["counts"] == {"done": 3, "refused": 0}
    numbers = []
    for claim_id in claims:
        read = client.get(f"{API}/claims/{claim_id}", headers=office.headers["finance"]).json()
        assert read["state"] == "booked"
        voucher = client.get(
            f"{API}/vouchers/{read['voucher_ids'][0]}", headers=office.headers["finance"]
        ).json()
        numbers.append(voucher["number"])
    assert numbers == ["记-2026-11-0001", "记-2026-11-0002", "记-2026-11-0003"]

    # Who booked may not pay: the same clerk is refused per claim, the second clerk pays.
    pay = {"claim_ids": claims, "paid_on": "2026-11-21", "reference": "BANK-1"}
    refused = client.post(f"{API}/claims/bulk-pay", json=pay, headers=office.headers["finance"])
    assert refused.json()["counts"] == {"done": 0, "refused": 3}
    assert _slug(refused.json(), claims[0]) == "segregation-of-duties"
    paid = client.post(f"{API}/claims/bulk-pay", json=pay, headers=office.headers["finance2"])
    assert paid.json()["counts"] == {"done": 3, "refused": 0}
    again = client.post(f"{API}/claims/bulk-pay", json=pay, headers=office.headers["finance2"])
    assert {_slug(again.json(), c) for c in claims} == {"invalid-state"}
    problem(
        client.post(f"{API}/claims/bulk-book", json=pay, headers=office.headers["employee"]),
        403,
        "forbidden",
    )


def test_bulk_book_keeps_going_past_a_refusal_and_numbers_stay_gap_free(
    client: TestClient, session: Session
):
    office = make_office(session)
    good = _approved(client, office, session)
    second = _approved(client, office, session)
    later = _approved(client, office, session)
    # A draft is not approved: the single book answers invalid-state for it.
    invoice = upload_invoice(client, office, session)
    draft = client.post(
        f"{API}/claims",
        json={"title": "草稿", "purpose": "x", "items": [{"invoice_id": invoice["id"]}]},
        headers=office.headers["employee"],
    ).json()["id"]
    response = client.post(
        f"{API}/claims/bulk-book",
        json={"claim_ids": [good, draft, second, later], "booking_date": "2026-11-20"},
        headers={**office.headers["finance"], "Idempotency-Key": "bulk-1"},
    )
    body = response.json()
    assert _outcomes(body) == {
        good: "done",
        draft: "refused",
        second: "done",
        later: "done",
    }
    assert _slug(body, draft) == "invalid-state"
    vouchers = client.get(
        f"{API}/vouchers", params={"period": "2026-11"}, headers=office.headers["finance"]
    ).json()["items"]
    assert sorted(v["number"] for v in vouchers) == [
        "记-2026-11-0001",
        "记-2026-11-0002",
        "记-2026-11-0003",
    ]
    # The same key repeats the first answer instead of booking again.
    replay = client.post(
        f"{API}/claims/bulk-book",
        json={"claim_ids": [good, draft, second, later], "booking_date": "2026-11-20"},
        headers={**office.headers["finance"], "Idempotency-Key": "bulk-1"},
    )
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == body


def test_bulk_deduction_confirmation_confirms_visible_invoices_only(
    client: TestClient, session: Session
):
    office = make_office(session)
    mine = [upload_invoice(client, office, session)["id"] for _ in range(2)]
    elsewhere = make_entity(session)
    outsider_finance = make_user(session, "finance", entity=elsewhere)
    response = client.post(
        f"{API}/invoices/bulk-deduction-confirmation",
        json={"invoice_ids": mine, "confirmed_on": "2026-11-25"},
        headers=bearer(session, outsider_finance),
    )
    body = response.json()
    assert body["counts"] == {"done": 0, "refused": 2}
    assert {_slug(body, i) for i in mine} == {"not-found"}
    response = client.post(
        f"{API}/invoices/bulk-deduction-confirmation",
        json={"invoice_ids": mine, "confirmed_on": "2026-11-25"},
        headers=office.headers["finance"],
    )
    assert response.json()["counts"] == {"done": 2, "refused": 0}
    for invoice_id in mine:
        read = client.get(f"{API}/invoices/{invoice_id}", headers=office.headers["finance"])
        assert read.json()["deduction_confirmed_on"] == "2026-11-25"
    for bad in ({"invoice_ids": [], "confirmed_on": "2026-11-25"}, {"invoice_ids": mine}):
        problem(
            client.post(
                f"{API}/invoices/bulk-deduction-confirmation",
                json=bad,
                headers=office.headers["finance"],
            ),
            422,
            "validation-error",
        )
