"""Finance names a paper voucher's owner only among the entity's active users; a voucher's scan
changes only while its claim is a draft; free text for the audit log refuses control characters."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import User
from tests.api.archive_helpers import PAPER_VOUCHER
from tests.api.ledger_helpers import API, make_office, upload_invoice
from tests.api.test_auth import assert_problem
from tests.factories import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _deactivated(session: Session, user: User) -> uuid.UUID:
    user.is_active = False
    session.add(user)
    session.commit()
    return user.id


def _register(client: TestClient, headers: dict[str, str], **body: object) -> object:
    return client.post(f"{API}/paper-vouchers", json={**PAPER_VOUCHER, **body}, headers=headers)


@pytest.mark.parametrize("who", ["other-entity", "inactive", "nobody"])
def test_finance_names_no_owner_outside_the_entitys_active_users(
    client: TestClient, session: Session, who: str
):
    office, other = make_office(session), make_office(session)
    owner = {
        "other-entity": lambda: other.employee.id,
        "inactive": lambda: _deactivated(session, make_user(session, entity=office.entity)),
        "nobody": uuid.uuid4,
    }[who]()
    answer = _register(client, office.headers["finance"], owner=str(owner))
    body = answer.json()  # type: ignore[attr-defined]
    assert_problem(body, 422, "validation-error")
    assert [e["field"] for e in body["errors"]] == ["owner"]
    listed = client.get(f"{API}/paper-vouchers", headers=other.headers["employee"]).json()
    assert listed["items"] == []


def test_a_scan_changes_only_while_the_vouchers_claim_is_a_draft(
    client: TestClient, session: Session
):
    office = make_office(session)
    employee, manager = office.headers["employee"], office.headers["manager"]
    registered = _register(client, office.headers["finance"], owner=str(office.employee.id))
    voucher = registered.json()  # type: ignore[attr-defined]
    claim = client.post(
        f"{API}/claims",
        json={
            "title": "出差",
            "purpose": "客户拜访",
            "items": [{"paper_voucher_id": voucher["id"]}],
        },
        headers=employee,
    ).json()
    scan = f"{API}/paper-vouchers/{voucher['id']}/scan"
    assert client.post(scan, files={"file": ("a.png", PNG)}, headers=employee).status_code == 200
    assert client.post(f"{API}/claims/{claim['id']}/submit", headers=employee).status_code == 200
    approved = client.post(
        f"{API}/claims/{claim['id']}/approve",
        json={"comment": "ok", "acknowledge_warnings": True},
        headers=manager,
    )
    assert approved.status_code == 200, approved.text

    replaced = client.post(scan, files={"file": ("b.png", PNG + b"x")}, headers=employee)

    assert replaced.status_code == 409, replaced.text
    assert "approved" in replaced.json()["detail"]


@pytest.mark.parametrize("comment", ["a\x00b", "x\u202ey", "\x1b[31mred"])
def test_a_business_type_comment_refuses_control_characters(
    client: TestClient, session: Session, comment: str
):
    office = make_office(session)
    invoice = upload_invoice(client, office, session)
    answer = client.post(
        f"{API}/invoices/{invoice['id']}/business-type",
        json={"business_type": "sale", "comment": comment},
        headers=office.headers["finance"],
    )
    assert_problem(answer.json(), 422, "validation-error")
