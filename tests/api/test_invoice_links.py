"""Links between invoices: red-letter voiding, 换开 re-issues, fees and their sale, near twins."""

from __future__ import annotations

import dataclasses
import random

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import User
from app.entities.models import LegalEntity
from app.invoices.models import TicketHold
from railclaim_devkit.synthetic import (
    InvoiceSpec,
    PdfVariant,
    XbrlOptions,
    fee_invoice_for,
    red_letter_of,
    render_pdf,
    render_xbrl,
)
from tests.api.test_invoice_upload import upload
from tests.factories import bearer, invoice_spec, make_employee, make_entity

World = tuple[LegalEntity, User, dict[str, str]]


@pytest.fixture
def world(session: Session) -> World:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    return entity, employee, bearer(session, employee)


def codes(invoice: dict[str, object]) -> list[str]:
    warnings = invoice["warnings"]
    assert isinstance(warnings, list)
    return [w["code"] for w in warnings]


def send(client: TestClient, headers: dict[str, str], spec: InvoiceSpec) -> dict[str, object]:
    response = upload(client, headers, f"{spec.invoice_number}.pdf", render_pdf(spec))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def read(client: TestClient, headers: dict[str, str], invoice_id: object) -> dict[str, object]:
    response = client.get(f"/api/v1/invoices/{invoice_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def sale(world: World, session: Session, **overrides: object) -> InvoiceSpec:
    entity, employee, _headers = world
    return invoice_spec(entity, passenger=employee, session=session, **overrides)


@pytest.mark.parametrize("order", ["blue-then-red", "red-then-blue"])
def test_red_letter_voids_its_original_in_either_order(
    client: TestClient, session: Session, world: World, order: str
) -> None:
    headers = world[2]
    blue = sale(world, session)
    red = red_letter_of(blue, random.Random(1))
    first, second = (blue, red) if order == "blue-then-red" else (red, blue)
    ids = {}
    for spec in (first, second):
        ids[spec.invoice_number] = send(client, headers, spec)["id"]
    blue_id, red_id = ids[blue.invoice_number], ids[red.invoice_number]
    original, reversal = read(client, headers, blue_id), read(client, headers, red_id)
    assert original["status"] == "void"
    assert original["voided_by_id"] == red_id
    assert reversal["status"] == "void"
    assert reversal["is_red_letter"] is True
    assert reversal["original_invoice_number"] == blue.invoice_number
    assert reversal["original_invoice_id"] == blue_id
    assert "original-unknown" not in codes(reversal)


def test_red_letter_before_its_original_waits_with_a_warning(
    client: TestClient, session: Session, world: World
) -> None:
    red = red_letter_of(sale(world, session), random.Random(2))
    body = send(client, world[2], red)
    assert body["status"] == "void"
    assert body["original_invoice_id"] is None
    assert "original-unknown" in codes(body)


def test_a_reissue_flags_both_live_invoices_until_the_red_letter_arrives(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    first = sale(world, session)
    # 换开: the same ticket re-issued under a new invoice number.
    reissue = dataclasses.replace(sale(world, session), e_ticket_number=first.e_ticket_number)
    a, b = send(client, headers, first), send(client, headers, reissue)
    assert "ticket-reissued" in codes(b)
    assert "ticket-reissued" in codes(read(client, headers, a["id"]))
    send(client, headers, red_letter_of(first, random.Random(3)))
    voided, survivor = read(client, headers, a["id"]), read(client, headers, b["id"])
    assert voided["status"] == "void"
    assert "ticket-reissued" not in codes(voided)
    assert survivor["status"] == "available"
    assert "ticket-reissued" not in codes(survivor)


def test_a_fee_and_the_sale_of_another_ticket_are_not_a_reissue(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    ticket = sale(world, session)
    send(client, headers, ticket)
    fee = send(client, headers, fee_invoice_for(ticket, random.Random(4), "refund"))
    assert "ticket-reissued" not in codes(fee)


@pytest.mark.parametrize("kind", ["refund", "change"])
def test_a_fee_before_its_sale_is_linked_when_the_sale_arrives(
    client: TestClient, session: Session, world: World, kind: str
) -> None:
    headers = world[2]
    ticket = sale(world, session)
    fee = send(client, headers, fee_invoice_for(ticket, random.Random(5), kind))
    assert fee["business_type"] == kind
    assert fee["original_invoice_id"] is None
    assert "sale-unknown" in codes(fee)
    sold = send(client, headers, ticket)
    linked = read(client, headers, fee["id"])
    assert linked["original_invoice_id"] == sold["id"]
    assert "sale-unknown" not in codes(linked)


def test_a_fee_after_its_sale_is_linked_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    ticket = sale(world, session)
    sold = send(client, headers, ticket)
    fee = send(client, headers, fee_invoice_for(ticket, random.Random(6), "change"))
    assert fee["original_invoice_id"] == sold["id"]
    assert "sale-unknown" not in codes(fee)


def test_same_passenger_train_and_day_on_another_ticket_is_a_near_duplicate(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    first = sale(world, session)
    twin = dataclasses.replace(
        sale(world, session),
        train_number=first.train_number,
        travel_date=first.travel_date,
        issue_date=first.issue_date,
    )
    assert twin.e_ticket_number != first.e_ticket_number
    assert "near-duplicate" not in codes(send(client, headers, first))
    body = send(client, headers, twin)
    assert "near-duplicate" in codes(body)
    assert "ticket-reissued" not in codes(body)


def test_another_train_that_day_is_not_a_near_duplicate(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    first = sale(world, session, train_number="G1")
    other = sale(world, session, train_number="G2", travel_date=first.travel_date)
    send(client, headers, first)
    assert "near-duplicate" not in codes(send(client, headers, other))


def _hold_count(session: Session) -> int:
    session.commit()
    return len(session.exec(select(TicketHold)).all())


def test_a_pdf_without_e_ticket_number_skips_the_ticket_level(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    spec = sale(world, session, e_ticket_number=None)
    pdf = render_pdf(spec, PdfVariant(xbrl=XbrlOptions(e_ticket_element=False)))
    response = upload(client, headers, "n.pdf", pdf)
    assert response.status_code == 201, response.text
    assert response.json()["e_ticket_number"] is None
    assert "no-e-ticket-number" in codes(response.json())
    assert _hold_count(session) == 0


def test_an_xml_without_e_ticket_number_skips_the_ticket_level(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    spec = sale(world, session)
    xml = render_xbrl(spec, XbrlOptions(e_ticket_element=False))
    response = upload(client, headers, "rai.xml", xml)
    assert response.status_code == 201, response.text
    assert response.json()["e_ticket_number"] is None
    assert "no-e-ticket-number" in codes(response.json())
    assert _hold_count(session) == 0


def test_an_e_ticket_number_from_the_face_fills_a_minimal_xbrl(
    client: TestClient, session: Session, world: World
) -> None:
    spec = sale(world, session)
    pdf = render_pdf(spec, PdfVariant(xbrl=XbrlOptions(e_ticket_element=False)))
    response = upload(client, world[2], "f.pdf", pdf)
    assert response.status_code == 201, response.text
    assert response.json()["e_ticket_number"] == spec.e_ticket_number
    assert "no-e-ticket-number" not in codes(response.json())
    assert _hold_count(session) == 1


def test_a_red_letter_of_another_entity_does_not_void(
    client: TestClient, session: Session, world: World
) -> None:
    headers = world[2]
    blue = sale(world, session)
    sold = send(client, headers, blue)
    other = make_entity(session)
    stranger = make_employee(session, other, name="李四", last4="4321")
    red = dataclasses.replace(
        red_letter_of(blue, random.Random(7)), buyer_name=other.name, buyer_tax_id=other.uscc
    )
    response = upload(client, bearer(session, stranger), "r.pdf", render_pdf(red))
    assert response.status_code == 201, response.text
    assert read(client, headers, sold["id"])["status"] == "available"
    assert response.json()["original_invoice_id"] is None
    assert "original-unknown" in codes(response.json())
