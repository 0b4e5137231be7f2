"""Claim items: one claim per document at a time, removing frees it, only own live documents."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.auth.models import UserEntity
from app.claims.models import Claim, ClaimItem
from app.invoices.models import Invoice, PaperVoucher
from railclaim_devkit.synthetic import red_letter_of
from tests.claims_support import (
    API,
    act,
    clean_invoice,
    codes,
    create_claim,
    draft,
    make_org,
    problem,
    register_paper,
    trip_spec,
    upload,
)
from tests.factories import bearer, make_entity, make_user


def status_of(session: Session, model: type[Invoice] | type[PaperVoucher], doc_id: str) -> str:
    session.commit()
    row = session.get(model, uuid.UUID(doc_id))
    assert row is not None
    return row.status


def count(session: Session, model: type) -> int:
    session.commit()
    return session.exec(select(func.count()).select_from(model)).one()


def test_create_with_items_claims_them(client: TestClient, session: Session):
    org = make_org(session)
    first = clean_invoice(client, session, org)
    second = clean_invoice(client, session, org)
    claim = draft(client, org, first, second)
    assert claim["state"] == "draft"
    assert claim["entity"] == str(org.entity.id)
    assert claim["claimant"] == str(org.employee.id)
    assert claim["total"] == "1106.00"
    assert [i["invoice_id"] for i in claim["items"]] == [first, second]
    assert {i["status"] for i in claim["items"]} == {"claimed"}
    assert claim["items"][0]["amount"] == "553.00"
    assert claim["findings"] == []
    assert status_of(session, Invoice, first) == "claimed"


def test_a_document_is_in_one_claim_at_a_time(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    other_id = clean_invoice(client, session, org)
    holder = draft(client, org, invoice_id)
    again = create_claim(
        client, org.h("employee"), [{"invoice_id": other_id}, {"invoice_id": invoice_id}]
    )
    body = problem(again, 409, "item-already-claimed")
    assert body["existing_claim_id"] == holder["id"]
    assert body["document_id"] == invoice_id
    # Nothing of the refused claim remains, not even its first item.
    assert count(session, Claim) == 1
    assert status_of(session, Invoice, other_id) == "available"
    second = draft(client, org, other_id)
    added = client.post(
        f"{API}/claims/{second['id']}/items",
        json={"invoice_id": invoice_id},
        headers=org.h("employee"),
    )
    problem(added, 409, "item-already-claimed")
    # Submitted or approved, the holder keeps it.
    assert act(client, org.h("employee"), holder["id"], "submit").status_code == 200
    problem(
        create_claim(client, org.h("employee"), [{"invoice_id": invoice_id}]),
        409,
        "item-already-claimed",
    )


def test_a_booked_document_is_never_claimed_again(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    session.execute(
        update(Invoice).where(col(Invoice.id) == uuid.UUID(invoice_id)).values(status="booked")
    )
    session.commit()
    response = create_claim(client, org.h("employee"), [{"invoice_id": invoice_id}])
    assert problem(response, 409, "item-already-claimed")["existing_claim_id"] is None


def test_removing_from_a_draft_frees_the_document(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    claim = draft(client, org, invoice_id)
    item_id = claim["items"][0]["id"]
    removed = client.delete(
        f"{API}/claims/{claim['id']}/items/{item_id}", headers=org.h("employee")
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["items"] == []
    assert removed.json()["total"] == "0.00"
    assert codes(removed.json()) == {"no-items": "block"}
    assert status_of(session, Invoice, invoice_id) == "available"
    assert count(session, ClaimItem) == 0
    elsewhere = draft(client, org, invoice_id)
    assert elsewhere["items"][0]["invoice_id"] == invoice_id
    problem(
        client.delete(f"{API}/claims/{claim['id']}/items/{item_id}", headers=org.h("employee")),
        404,
        "not-found",
    )


def test_items_change_only_in_a_draft_and_only_by_the_claimant(
    client: TestClient, session: Session
):
    org = make_org(session)
    claim = draft(client, org, clean_invoice(client, session, org))
    extra = clean_invoice(client, session, org)
    url = f"{API}/claims/{claim['id']}/items"
    problem(
        client.post(url, json={"invoice_id": extra}, headers=org.h("manager")), 403, "forbidden"
    )
    problem(
        client.post(url, json={"invoice_id": extra}, headers=org.h("colleague")), 404, "not-found"
    )
    assert (
        client.post(url, json={"invoice_id": extra}, headers=org.h("employee")).status_code == 200
    )
    assert act(client, org.h("employee"), claim["id"], "submit").status_code == 200
    item_id = claim["items"][0]["id"]
    problem(client.delete(f"{url}/{item_id}", headers=org.h("employee")), 409, "invalid-state")
    late = clean_invoice(client, session, org)
    problem(
        client.post(url, json={"invoice_id": late}, headers=org.h("employee")), 409, "invalid-state"
    )
    assert status_of(session, Invoice, late) == "available"


def test_only_the_claimants_documents(client: TestClient, session: Session):
    org = make_org(session)
    theirs = upload(client, org.h("colleague"), trip_spec(session, org, who="colleague"))
    for document in (theirs["id"], str(uuid.uuid4())):
        response = create_claim(client, org.h("employee"), [{"invoice_id": document}])
        errors = problem(response, 422, "validation-error")["errors"]
        assert errors == [
            {
                "field": "items.0.invoice_id",
                "message": "no document of the claimant in this entity has this id",
            }
        ]
    assert status_of(session, Invoice, theirs["id"]) == "available"


def test_void_and_red_letter_invoices_are_not_claimable(client: TestClient, session: Session):
    org = make_org(session)
    blue = trip_spec(session, org)
    blue_id = upload(client, org.h("employee"), blue)["id"]
    red_id = upload(client, org.h("employee"), red_letter_of(blue, random.Random(5)))["id"]
    void = problem(
        create_claim(client, org.h("employee"), [{"invoice_id": blue_id}]),
        409,
        "item-not-claimable",
    )
    assert void["reason"] == "void"
    red = problem(
        create_claim(client, org.h("employee"), [{"invoice_id": red_id}]),
        409,
        "item-not-claimable",
    )
    assert red["reason"] == "red-letter"


def test_paper_vouchers_are_items_too(client: TestClient, session: Session):
    org = make_org(session)
    paper = register_paper(client, org)
    response = create_claim(client, org.h("employee"), [{"paper_voucher_id": paper["id"]}])
    assert response.status_code == 201, response.text
    claim = response.json()
    item = claim["items"][0]
    assert (item["kind"], item["number"], item["amount"]) == (
        "paper",
        paper["serial_number"],
        "553.00",
    )
    assert status_of(session, PaperVoucher, paper["id"]) == "claimed"
    again = create_claim(client, org.h("employee"), [{"paper_voucher_id": paper["id"]}])
    problem(again, 409, "item-already-claimed")
    removed = client.delete(
        f"{API}/claims/{claim['id']}/items/{item['id']}", headers=org.h("employee")
    )
    assert removed.status_code == 200
    assert status_of(session, PaperVoucher, paper["id"]) == "available"


def test_the_entity_must_be_named_by_multi_entity_claimants(client: TestClient, session: Session):
    org = make_org(session)
    second = make_entity(session)
    session.add(UserEntity(user_id=org.employee.id, entity_id=second.id))
    session.commit()
    headers = bearer(session, org.employee)
    problem(create_claim(client, headers, []), 422, "validation-error")
    stranger = make_entity(session)
    errors = problem(
        create_claim(client, headers, [], entity=str(stranger.id)), 422, "validation-error"
    )["errors"]
    assert errors[0]["field"] == "entity"
    created = create_claim(client, headers, [], entity=str(second.id))
    assert created.status_code == 201
    assert created.json()["entity"] == str(second.id)


BAD_BODIES: list[tuple[dict[str, Any], set[str]]] = [
    ({"purpose": "p", "items": []}, {"title"}),
    ({"title": "t", "items": []}, {"purpose"}),
    ({"title": " ", "purpose": "p"}, {"title"}),
    ({"title": "t", "purpose": "x" * 2001}, {"purpose"}),
    ({"title": "t", "purpose": "p", "items": [{}]}, {"items.0"}),
    (
        {
            "title": "t",
            "purpose": "p",
            "items": [{"invoice_id": str(uuid.uuid4()), "paper_voucher_id": str(uuid.uuid4())}],
        },
        {"items.0"},
    ),
    ({"title": "t", "purpose": "p", "items": [{"invoice_id": "nope"}]}, {"items.0.invoice_id"}),
    (
        {"title": "t", "purpose": "p", "items": [{"invoice_id": str(uuid.uuid4()), "x": 1}]},
        {"items.0.x"},
    ),
    (
        {
            "title": "t",
            "purpose": "p",
            "items": [{"invoice_id": str(uuid.uuid4()), "justification": "\u0000"}],
        },
        {"items.0.justification"},
    ),
    ({"title": "t", "purpose": "p", "items": "all"}, {"items"}),
    ({"title": "t", "purpose": "p", "state": "approved"}, {"state"}),
]


@pytest.mark.parametrize(("body", "fields"), BAD_BODIES)
def test_bad_bodies_name_their_fields(
    client: TestClient, session: Session, body: dict[str, Any], fields: set[str]
):
    org = make_org(session)
    response = client.post(f"{API}/claims", json=body, headers=org.h("employee"))
    errors = problem(response, 422, "validation-error")["errors"]
    assert {e["field"] for e in errors} == fields
    assert count(session, Claim) == 0


def test_a_document_twice_in_one_body(client: TestClient, session: Session):
    org = make_org(session)
    invoice_id = clean_invoice(client, session, org)
    items = [{"invoice_id": invoice_id}, {"invoice_id": invoice_id}]
    errors = problem(create_claim(client, org.h("employee"), items), 422, "validation-error")[
        "errors"
    ]
    assert [e["field"] for e in errors] == ["items"]


def test_auditors_and_system_tokens_do_not_claim(client: TestClient, session: Session):
    org = make_org(session)
    problem(create_claim(client, org.h("auditor"), []), 403, "forbidden")
    system = make_user(session, "finance", entity=org.entity, is_service=True)
    problem(create_claim(client, bearer(session, system), []), 403, "forbidden")
