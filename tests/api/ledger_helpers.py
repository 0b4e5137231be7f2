"""Arranging claims for ledger tests: upload, claim, submit, approve, book — through the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.auth.models import EmployeeProfile, User
from app.entities.models import LegalEntity
from railclaim_devkit.synthetic import InvoiceSpec, PdfVariant, render_pdf
from tests.factories import bearer, invoice_spec, make_entity, make_user

API = "/api/v1"
DEPARTMENT, COST_CENTRE = "销售部", "CC-100"


@dataclass
class Office:
    """One entity: employee → manager, two finance clerks, an auditor and an admin."""

    entity: LegalEntity
    manager: User
    employee: User
    finance: User
    finance2: User
    auditor: User
    admin: User
    headers: dict[str, dict[str, str]]


def make_office(session: Session, *, taxpayer_type: str = "general") -> Office:
    entity = make_entity(session, taxpayer_type=taxpayer_type)
    manager = make_user(
        session,
        "approver",
        "employee",
        entity=entity,
        passenger_name="王经理",
        id_last4="5678",
        grade=5,
    )
    employee = make_user(
        session,
        "employee",
        entity=entity,
        passenger_name="张三",
        id_last4="1234",
        manager=manager,
        grade=2,
    )
    profile = session.get(EmployeeProfile, employee.id)
    assert profile is not None
    profile.department, profile.cost_centre = DEPARTMENT, COST_CENTRE
    session.add(profile)
    session.commit()
    users = {
        "manager": manager,
        "employee": employee,
        "finance": make_user(session, "finance", entity=entity),
        "finance2": make_user(session, "finance", entity=entity),
        "auditor": make_user(session, "auditor", entity=entity),
        "admin": make_user(session, "admin", entity=entity),
    }
    headers = {name: bearer(session, user) for name, user in users.items()}
    return Office(entity=entity, headers=headers, **users)


def spec_for(office: Office, session: Session, **fields: Any) -> InvoiceSpec:
    """A second-class sale bought by the office's entity, for the employee unless told."""
    pinned: dict[str, Any] = {"seat_class": "二等座"}
    pinned.update(fields)
    passenger = pinned.pop("passenger", office.employee)
    return invoice_spec(office.entity, passenger=passenger, session=session, **pinned)


def upload_spec(
    client: TestClient,
    office: Office,
    spec: InvoiceSpec,
    variant: PdfVariant | None = None,
    who: str = "employee",
) -> dict[str, Any]:
    data = render_pdf(spec, variant) if variant else render_pdf(spec)
    response = client.post(
        f"{API}/invoices",
        files={"file": (f"{spec.invoice_number}.pdf", data)},
        headers=office.headers[who],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def upload_invoice(
    client: TestClient, office: Office, session: Session, **spec: Any
) -> dict[str, Any]:
    return upload_spec(client, office, spec_for(office, session, **spec))


def approved_claim(
    client: TestClient,
    office: Office,
    items: list[dict[str, Any]],
    *,
    approver: str = "manager",
) -> dict[str, Any]:
    created = client.post(
        f"{API}/claims",
        json={"title": "出差", "purpose": "客户拜访", "items": items},
        headers=office.headers["employee"],
    )
    assert created.status_code == 201, created.text
    claim_id = created.json()["id"]
    submitted = client.post(f"{API}/claims/{claim_id}/submit", headers=office.headers["employee"])
    assert submitted.status_code == 200, submitted.text
    approved = client.post(
        f"{API}/claims/{claim_id}/approve",
        json={"acknowledge_warnings": True},
        headers=office.headers[approver],
    )
    assert approved.status_code == 200, approved.text
    body: dict[str, Any] = approved.json()
    return body


def book(
    client: TestClient,
    office: Office,
    claim_id: str,
    booking_date: str = "2026-11-20",
    *,
    who: str = "finance",
    key: str | None = None,
) -> Response:
    headers = dict(office.headers[who])
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        f"{API}/claims/{claim_id}/book", json={"booking_date": booking_date}, headers=headers
    )


def booked_voucher(
    client: TestClient, office: Office, claim_id: str, booking_date: str = "2026-11-20"
) -> dict[str, Any]:
    """Books the claim and returns its booking voucher as GET /vouchers/{id} shows it."""
    response = book(client, office, claim_id, booking_date)
    assert response.status_code == 200, response.text
    voucher_ids = response.json()["voucher_ids"]
    assert len(voucher_ids) == 1
    return voucher(client, office, voucher_ids[0])


def voucher(client: TestClient, office: Office, voucher_id: str) -> dict[str, Any]:
    response = client.get(f"{API}/vouchers/{voucher_id}", headers=office.headers["finance"])
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}", body
    return body


def lines_by_account(voucher: dict[str, Any]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for line in voucher["lines"]:
        amount = Decimal(line["debit"]) - Decimal(line["credit"])
        sums[line["account_code"]] = sums.get(line["account_code"], Decimal("0")) + amount
    return sums


def line_amounts(voucher: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(account code, debit, credit) per line, in line order."""
    return [(line["account_code"], line["debit"], line["credit"]) for line in voucher["lines"]]
