"""Refusals and findings name another document only to whoever may read it (issue 15.7).

Deduplication spans every entity of the installation, so a user of entity B can upload A's file,
a re-issue of A's ticket or a near twin of A's trip. B then learns that such a document exists
("another entity's invoice"), never its id or number; within one entity finance still reads the
reference.
"""

from __future__ import annotations

import dataclasses
import html
import random
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.auth.models import User
from app.entities.models import LegalEntity
from railclaim_devkit.synthetic import InvoiceSpec, fee_invoice_for, render_pdf
from tests.factories import bearer, invoice_spec, make_employee, make_entity, make_user
from tests.web.helpers import HTML, csrf_of, login, post_form

ANOTHER_ENTITYS = "another entity's invoice"
ANOTHER_ENTITYS_ZH = "其他主体的发票"


@dataclass(frozen=True)
class Side:
    entity: LegalEntity
    employee: User
    finance: User
    headers: dict[str, str]
    finance_headers: dict[str, str]


@pytest.fixture
def a(session: Session) -> Side:
    return _side(session)


@pytest.fixture
def b(session: Session) -> Side:
    return _side(session)


def _side(session: Session) -> Side:
    entity = make_entity(session)
    # The same passenger on both sides: someone who changed employer, or a namesake.
    employee = make_employee(session, entity)
    finance = make_user(session, "finance", entity=entity)
    return Side(entity, employee, finance, bearer(session, employee), bearer(session, finance))


def spec_of(side: Side, session: Session, **overrides: object) -> InvoiceSpec:
    return invoice_spec(side.entity, passenger=side.employee, session=session, **overrides)


def upload(client: TestClient, headers: dict[str, str], data: bytes) -> Response:
    return client.post("/api/v1/invoices", files={"file": ("t.pdf", data)}, headers=headers)


def stored(client: TestClient, headers: dict[str, str], spec: InvoiceSpec) -> dict[str, Any]:
    response = upload(client, headers, render_pdf(spec))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def read(client: TestClient, headers: dict[str, str], invoice_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/invoices/{invoice_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_names_nothing_of(text: str, invoice: dict[str, Any]) -> None:
    assert invoice["id"] not in text
    assert invoice["invoice_number"] not in text


def warning(invoice: dict[str, Any], code: str) -> str:
    messages = [w["message"] for w in invoice["warnings"] if w["code"] == code]
    assert messages, invoice["warnings"]
    return str(messages[0])


def test_the_same_file_from_another_entity_names_no_invoice(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    pdf = render_pdf(spec_of(a, session))
    first = upload(client, a.headers, pdf).json()

    again = upload(client, b.headers, pdf)
    assert again.status_code == 409
    problem = again.json()
    assert problem["type"] == "/problems/duplicate-invoice"
    assert ANOTHER_ENTITYS in problem["detail"]
    assert problem["existing_invoice"] == "another-entity"
    assert "existing_invoice_id" not in problem
    assert_names_nothing_of(again.text, first)

    batch = client.post(
        "/api/v1/invoice-batches", files=[("files", ("t.pdf", pdf))], headers=b.headers
    )
    assert batch.status_code == 200
    assert batch.json()["results"][0]["outcome"] == "duplicate"
    assert ANOTHER_ENTITYS in batch.json()["results"][0]["problem"]["detail"]
    assert_names_nothing_of(batch.text, first)

    # Within the entity finance, who reads every invoice of it, is pointed to the stored one.
    own = upload(client, a.finance_headers, pdf)
    assert own.status_code == 409
    assert own.json()["existing_invoice_id"] == first["id"]


def test_a_colleagues_file_is_an_invoice_you_cannot_see(
    client: TestClient, session: Session, a: Side
) -> None:
    pdf = render_pdf(spec_of(a, session))
    first = upload(client, a.headers, pdf).json()
    colleague = make_employee(session, a.entity, name="李四", last4="4321")

    again = upload(client, bearer(session, colleague), pdf)
    assert again.status_code == 409
    assert "an invoice you cannot see" in again.json()["detail"]
    assert again.json()["existing_invoice"] == "not-visible"
    assert_names_nothing_of(again.text, first)


def _voucher_body(e_ticket_number: str) -> dict[str, str]:
    return {
        "serial_number": "A12345678",
        "e_ticket_number": e_ticket_number,
        "travel_date": "2025-09-30",
        "train_number": "G1",
        "departure_station": "北京南站",
        "arrival_station": "上海虹桥",
        "seat_class": "二等座",
        "fare": "553.00",
        "passenger_name": "张三",
        "passenger_id_masked": "1101011990****1234",
    }


def test_a_paper_voucher_for_another_entitys_ticket_names_no_invoice(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    spec = spec_of(a, session)
    assert spec.e_ticket_number
    first = stored(client, a.headers, spec)

    response = client.post(
        "/api/v1/paper-vouchers", json=_voucher_body(spec.e_ticket_number), headers=b.headers
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "/problems/ticket-already-claimed"
    assert ANOTHER_ENTITYS in problem["detail"]
    assert problem["existing_invoice"] == "another-entity"
    assert_names_nothing_of(response.text, first)

    own = client.post(
        "/api/v1/paper-vouchers", json=_voucher_body(spec.e_ticket_number), headers=a.headers
    )
    assert own.status_code == 409
    assert own.json()["existing_invoice_id"] == first["id"]


def test_an_e_invoice_for_another_entitys_paper_ticket_names_no_voucher(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    spec = spec_of(b, session)
    assert spec.e_ticket_number
    voucher = client.post(
        "/api/v1/paper-vouchers", json=_voucher_body(spec.e_ticket_number), headers=a.headers
    )
    assert voucher.status_code == 201, voucher.text

    response = upload(client, b.headers, render_pdf(spec))
    assert response.status_code == 409
    assert "another entity's paper voucher" in response.json()["detail"]
    assert response.json()["existing_paper_voucher"] == "another-entity"
    assert voucher.json()["id"] not in response.text


def test_a_reissue_across_entities_names_neither_invoice_to_the_other(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    first = stored(client, a.headers, spec_of(a, session))
    reissue = stored(
        client, b.headers, spec_of(b, session, e_ticket_number=first["e_ticket_number"])
    )

    assert ANOTHER_ENTITYS in warning(reissue, "ticket-reissued").lower()
    assert_names_nothing_of(str(reissue), first)
    for side, invoice, other in ((a, first, reissue), (b, reissue, first)):
        for headers in (side.headers, side.finance_headers):
            seen = read(client, headers, invoice["id"])
            assert ANOTHER_ENTITYS in warning(seen, "ticket-reissued").lower()
            assert_names_nothing_of(str(seen), other)


def test_a_near_twin_of_another_entitys_trip_names_no_invoice(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    spec = spec_of(a, session)
    trip = {"train_number": spec.train_number, "travel_date": spec.travel_date}
    first = stored(client, a.headers, spec)

    twin = stored(client, b.headers, spec_of(b, session, **trip))
    assert ANOTHER_ENTITYS in warning(twin, "near-duplicate")
    assert_names_nothing_of(str(twin), first)
    assert_names_nothing_of(str(read(client, b.finance_headers, twin["id"])), first)

    # Within entity A a twin names its sibling, to finance and to the owner of both; B's twin
    # stays unnamed.
    sibling = stored(client, a.headers, spec_of(a, session, **trip))
    for headers in (a.finance_headers, a.headers):
        seen = read(client, headers, sibling["id"])
        named = warning(seen, "near-duplicate")
        assert first["invoice_number"] in named
        assert ANOTHER_ENTITYS in named
        assert_names_nothing_of(str(seen), twin)


def test_a_fee_for_another_entitys_sale_does_not_link_to_it(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    sale_spec = spec_of(a, session)
    sale = stored(client, a.headers, sale_spec)
    fee_spec = dataclasses.replace(
        fee_invoice_for(sale_spec, random.Random(7), "refund"),
        buyer_name=b.entity.name,
        buyer_tax_id=b.entity.uscc,
    )
    fee = stored(client, b.headers, fee_spec)
    assert fee["original_invoice_id"] is None
    assert sale["id"] not in str(read(client, b.finance_headers, fee["id"]))


def _web_upload(client: TestClient, data: bytes) -> Response:
    token = csrf_of(client.get("/invoices/upload", headers=HTML))
    return client.post(
        "/web/invoices/upload", files={"file": ("t.pdf", data)}, headers={"X-CSRF-Token": token}
    )


def test_web_upload_of_another_entitys_file_links_to_nothing(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    pdf = render_pdf(spec_of(a, session))
    first = upload(client, a.headers, pdf).json()
    login(client, b.employee)

    response = _web_upload(client, pdf)
    [row] = response.json()["rows"]
    assert row["outcome"] == "duplicate"
    assert row["problem"]["existing_url"] is None
    assert ANOTHER_ENTITYS_ZH in row["problem"]["hint"]
    assert_names_nothing_of(response.text, first)


def test_web_paper_voucher_for_another_entitys_ticket_names_no_invoice(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    spec = spec_of(a, session)
    assert spec.e_ticket_number
    first = stored(client, a.headers, spec)
    login(client, b.employee)

    form = _voucher_body(spec.e_ticket_number)
    page = post_form(client, "/paper-vouchers/new", "/paper-vouchers/new", form)
    assert page.status_code == 409
    assert ANOTHER_ENTITYS_ZH in page.text
    assert_names_nothing_of(page.text, first)


def test_web_invoice_page_words_a_near_twin_per_viewer(
    client: TestClient, session: Session, a: Side, b: Side
) -> None:
    spec = spec_of(a, session)
    trip = {"train_number": spec.train_number, "travel_date": spec.travel_date}
    first = stored(client, a.headers, spec)
    twin = stored(client, b.headers, spec_of(b, session, **trip))
    sibling = stored(client, a.headers, spec_of(a, session, **trip))

    login(client, b.finance)
    page = client.get(f"/invoices/{twin['id']}?lang=en", headers=HTML)
    assert page.status_code == 200
    assert "travel date (another entity's invoice)" in html.unescape(page.text)
    assert_names_nothing_of(page.text, first)

    client.cookies.clear()
    login(client, a.finance)
    page = client.get(f"/invoices/{sibling['id']}?lang=en", headers=HTML)
    words = f"travel date ({first['invoice_number']}, another entity's invoice)"
    assert words in html.unescape(page.text)
    assert_names_nothing_of(page.text, twin)
