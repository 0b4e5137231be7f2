"""Arranging claims for ledger tests: upload, claim, submit, approve — through the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import User
from app.entities.models import LegalEntity
from app.invoices.synthetic import render_pdf
from tests.factories import bearer, invoice_spec, make_entity, make_user


@dataclass
class Office:
    entity: LegalEntity
    manager: User
    employee: User
    finance: User
    finance2: User
    headers: dict[str, dict[str, str]]


def make_office(session: Session, *, taxpayer_type: str = "general") -> Office:
    entity = make_entity(session, taxpayer_type=taxpayer_type)
    manager = make_user(session, "approver", "employee", entity=entity, passenger_name="王经理",
                        id_last4="5678", grade=5)
    employee = make_user(session, "employee", entity=entity, passenger_name="张三",
                         id_last4="1234", manager=manager, grade=2)
    finance = make_user(session, "finance", entity=entity)
    finance2 = make_user(session, "finance", entity=entity)
    headers = {name: bearer(session, user) for name, user in
               (("manager", manager), ("employee", employee), ("finance", finance),
                ("finance2", finance2))}
    return Office(entity, manager, employee, finance, finance2, headers)


def upload_invoice(client: TestClient, office: Office, session: Session, **spec: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"seat_class": "二等座"}
    fields.update(spec)
    data = render_pdf(invoice_spec(office.entity, passenger=office.employee, session=session,
                                   **fields))
    response = client.post("/api/v1/invoices", files={"file": ("i.pdf", data)},
                           headers=office.headers["employee"])
    assert response.status_code == 201, response.text
    return response.json()


def approved_claim(client: TestClient, office: Office, items: list[dict[str, Any]]) -> dict[str, Any]:
    created = client.post(
        "/api/v1/claims", json={"title": "出差", "purpose": "客户拜访", "items": items},
        headers=office.headers["employee"],
    )
    assert created.status_code == 201, created.text
    claim_id = created.json()["id"]
    submitted = client.post(f"/api/v1/claims/{claim_id}/submit", headers=office.headers["employee"])
    assert submitted.status_code == 200, submitted.text
    approved = client.post(
        f"/api/v1/claims/{claim_id}/approve", json={"acknowledge_warnings": True},
        headers=office.headers["manager"],
    )
    assert approved.status_code == 200, approved.text
    return approved.json()


def lines_by_account(voucher: dict[str, Any]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for line in voucher["lines"]:
        amount = Decimal(line["debit"]) - Decimal(line["credit"])
        sums[line["account_code"]] = sums.get(line["account_code"], Decimal("0")) + amount
    return sums
