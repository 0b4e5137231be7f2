"""Helpers for the claim tests: an organisation, uploads through the API, claims and decisions."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col

from app.auth.models import User
from app.entities.models import LegalEntity
from app.invoices.models import Invoice
from app.kit.dates import business_today
from railclaim_devkit.synthetic import InvoiceSpec, render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user

API = "/api/v1"
_serials = itertools.count(1)


@dataclass
class Org:
    """One entity: employee → manager → director, plus finance, auditor, admin and a colleague."""

    entity: LegalEntity
    employee: User
    manager: User
    director: User
    colleague: User
    finance: User
    auditor: User
    admin: User
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return self.headers[who]


def make_org(session: Session, *, employee_grade: int | None = 2) -> Org:
    entity = make_entity(session)
    director = make_user(
        session, "approver", "employee", entity=entity, passenger_name="王总", id_last4="9999"
    )
    manager = make_user(
        session,
        "approver",
        "employee",
        entity=entity,
        passenger_name="李经理",
        id_last4="5678",
        manager=director,
        grade=5,
    )
    employee = make_employee(session, entity, manager=manager, grade=employee_grade)
    colleague = make_employee(session, entity, name="赵六", last4="4321", manager=manager, grade=4)
    org = Org(
        entity=entity,
        employee=employee,
        manager=manager,
        director=director,
        colleague=colleague,
        finance=make_user(session, "finance", entity=entity),
        auditor=make_user(session, "auditor", entity=entity),
        admin=make_user(session, "admin", entity=entity),
    )
    for name in ("employee", "manager", "director", "colleague", "finance", "auditor", "admin"):
        org.headers[name] = bearer(session, getattr(org, name))
    return org


def days_ago(days: int) -> dt.date:
    return business_today() - dt.timedelta(days=days)


def trip_spec(
    session: Session, org: Org, *, who: str = "employee", **overrides: Any
) -> InvoiceSpec:
    """A clean recent sale in second class for `who` (an Org attribute)."""
    travel = overrides.pop("travel_date", days_ago(10))
    fields: dict[str, Any] = {
        "travel_date": travel,
        "issue_date": travel + dt.timedelta(days=1),
        "seat_class": "二等座",
        "fare": Decimal("553.00"),
    }
    fields.update(overrides)
    return invoice_spec(org.entity, passenger=getattr(org, who), session=session, **fields)


def upload(client: TestClient, headers: dict[str, str], spec: InvoiceSpec) -> dict[str, Any]:
    response = client.post(
        f"{API}/invoices",
        files={"file": (f"{spec.invoice_number}.pdf", render_pdf(spec))},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def verify(session: Session, *invoice_ids: str) -> None:
    """Marks invoices 查验-verified: the offline provider never does."""
    session.commit()
    for invoice_id in invoice_ids:
        session.execute(
            update(Invoice)
            .where(col(Invoice.id) == uuid.UUID(invoice_id))
            .values(verification="verified")
        )
    session.commit()


def clean_invoice(client: TestClient, session: Session, org: Org, **overrides: Any) -> str:
    """An uploaded, verified, policy-clean invoice of the employee; its id."""
    invoice = upload(client, org.h("employee"), trip_spec(session, org, **overrides))
    verify(session, invoice["id"])
    return str(invoice["id"])


def paper_body(**overrides: Any) -> dict[str, Any]:
    n = next(_serials)
    body: dict[str, Any] = {
        "serial_number": f"P{n:08d}",
        "e_ticket_number": f"EP{n:020d}",
        "travel_date": "2025-09-20",
        "train_number": "G1",
        "departure_station": "北京南站",
        "arrival_station": "上海虹桥",
        "seat_class": "二等座",
        "fare": "553.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }
    body.update(overrides)
    return body


def register_paper(client: TestClient, org: Org, **overrides: Any) -> dict[str, Any]:
    response = client.post(
        f"{API}/paper-vouchers", json=paper_body(**overrides), headers=org.h("employee")
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def create_claim(
    client: TestClient, headers: dict[str, str], items: list[dict[str, Any]], **extra: Any
) -> Any:
    body = {"title": "出差报销", "purpose": "客户拜访", "items": items, **extra}
    return client.post(f"{API}/claims", json=body, headers=headers)


def draft(client: TestClient, org: Org, *invoice_ids: str) -> dict[str, Any]:
    response = create_claim(client, org.h("employee"), [{"invoice_id": i} for i in invoice_ids])
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def act(
    client: TestClient, headers: dict[str, str], claim_id: str, action: str, body: Any = None
) -> Any:
    return client.post(f"{API}/claims/{claim_id}/{action}", json=body, headers=headers)


def submitted(client: TestClient, session: Session, org: Org) -> dict[str, Any]:
    """A clean one-invoice claim of the employee, submitted to the manager."""
    claim = draft(client, org, clean_invoice(client, session, org))
    response = act(client, org.h("employee"), claim["id"], "submit")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}", body
    return body


def codes(claim: dict[str, Any]) -> dict[str, str]:
    """Finding code → severity."""
    return {f["code"]: f["severity"] for f in claim["findings"]}
