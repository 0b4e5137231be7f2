"""Segregation of duties between approving, booking and paying; no document is booked twice."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.auth.models import User
from app.ledger.models import BookedDocument, JournalVoucher
from railclaim_devkit.synthetic import red_letter_of, render_ofd, render_pdf
from tests.api.ledger_helpers import (
    API,
    Office,
    approved_claim,
    book,
    make_office,
    problem,
    spec_for,
    upload_invoice,
    upload_spec,
)


def _pay(client: TestClient, office: Office, claim_id: str, who: str) -> Any:
    return client.post(
        f"{API}/claims/{claim_id}/pay",
        json={"paid_on": "2026-11-30", "reference": "BANK-7"},
        headers=office.headers[who],
    )


def _approved(client: TestClient, office: Office, session: Session) -> dict[str, Any]:
    invoice = upload_invoice(client, office, session, fare=Decimal("9.50"))
    return approved_claim(client, office, [{"invoice_id": invoice["id"]}])


def test_the_approver_may_not_book_and_the_booker_may_not_pay_unless_the_policy_allows(
    client: TestClient, session: Session
):
    office = make_office(session)
    session.commit()
    manager = session.get(User, office.manager.id)
    assert manager is not None
    manager.roles = ["approver", "employee", "finance"]  # the manager also works in finance
    session.add(manager)
    session.commit()

    claim = _approved(client, office, session)
    refused = problem(
        book(client, office, claim["id"], who="manager"), 403, "segregation-of-duties"
    )
    assert "approved" in refused["detail"]
    booked = book(client, office, claim["id"], who="finance")
    assert booked.status_code == 200, booked.text
    refused = problem(_pay(client, office, claim["id"], "finance"), 403, "segregation-of-duties")
    assert "booked" in refused["detail"]
    assert (
        client.get(f"{API}/claims/{claim['id']}", headers=office.headers["finance"]).json()["state"]
        == "booked"
    )
    # Approving does not bar paying: the manager pays what someone else booked.
    paid = _pay(client, office, claim["id"], "manager")
    assert paid.status_code == 200, paid.text

    policy = client.put(
        f"{API}/entities/{office.entity.id}/claim-policy",
        json={"segregation_of_duties": False},
        headers=office.headers["admin"],
    )
    assert policy.status_code == 200, policy.text
    assert policy.json()["segregation_of_duties"] is False
    claim = _approved(client, office, session)
    assert book(client, office, claim["id"], who="manager").status_code == 200
    paid = _pay(client, office, claim["id"], "manager")
    assert paid.status_code == 200, paid.text
    assert paid.json()["state"] == "paid"


def test_an_invoice_is_booked_at_most_once_whatever_the_route(client: TestClient, session: Session):
    office = make_office(session)
    spec = spec_for(office, session, fare=Decimal("553.00"))
    invoice = upload_spec(client, office, spec)
    claim = approved_claim(client, office, [{"invoice_id": invoice["id"]}])
    assert book(client, office, claim["id"]).status_code == 200

    again = problem(book(client, office, claim["id"]), 409, "invalid-state")
    assert again["state"] == "booked"
    # Booking finished the invoice: no other claim takes it ...
    other = client.post(
        f"{API}/claims",
        json={"title": "再报", "purpose": "重复", "items": [{"invoice_id": invoice["id"]}]},
        headers=office.headers["employee"],
    )
    assert problem(other, 409, "item-already-claimed")["existing_claim_id"] == claim["id"]
    # ... and a re-upload is the same invoice, never a second one to book.
    reupload = client.post(
        f"{API}/invoices",
        files={"file": ("again.pdf", render_pdf(spec))},
        headers=office.headers["employee"],
    )
    assert problem(reupload, 409, "duplicate-invoice")["existing_invoice_id"] == invoice["id"]
    ofd = client.post(
        f"{API}/invoices",
        files={"file": (f"{spec.invoice_number}.ofd", render_ofd(spec))},
        headers=office.headers["employee"],
    )
    assert ofd.status_code == 200, ofd.text
    assert (ofd.json()["id"], ofd.json()["status"]) == (invoice["id"], "booked")
    # A red-letter invoice voiding the booked original leaves it booked and tells finance to
    # reverse its voucher: the booking is never silently undone.
    red = upload_spec(client, office, red_letter_of(spec, random.Random(4)))
    assert red["fare"] == "-553.00"
    original = client.get(f"{API}/invoices/{invoice['id']}", headers=office.headers["finance"])
    assert original.json()["status"] == "booked"
    assert "booked-original-voided" in {w["code"] for w in original.json()["warnings"]}
    session.commit()
    assert session.exec(select(func.count()).select_from(JournalVoucher)).one() == 1

    # Underneath, the database itself refuses a second booking of the document (财会〔2020〕6号).
    voucher_id = session.exec(select(JournalVoucher.id)).one()
    session.add(BookedDocument(invoice_id=uuid.UUID(invoice["id"]), voucher_id=voucher_id))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert (
        session.exec(
            select(func.count())
            .select_from(BookedDocument)
            .where(col(BookedDocument.invoice_id) == uuid.UUID(invoice["id"]))
        ).one()
        == 1
    )
