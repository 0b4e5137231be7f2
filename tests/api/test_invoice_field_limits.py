"""A file stating values no invoice prints is refused as unreadable (never a database error), on
its own and as one member of a batch; an ID stated in full is stored masked."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.invoices.models import Invoice
from app.invoices.parsing.field_limits import FIELD_LIMITS, masked_id
from railclaim_devkit.synthetic.xbrl import render_xbrl
from tests.api.ledger_helpers import API, make_office, spec_for
from tests.api.test_auth import assert_problem


def test_the_limits_are_the_invoice_columns_widths():
    columns = Invoice.__table__.columns  # type: ignore[attr-defined]
    assert {name: columns[name].type.length for name in FIELD_LIMITS} == FIELD_LIMITS


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("train_number", "G" + "1" * 40),
        ("departure_station", "北" * 60),
        ("seat", "1" * 30),
        ("e_ticket_number", "E" * 90),
        ("passenger_name", "张" * 101),
    ],
)
def test_a_value_longer_than_any_invoice_prints_is_an_unreadable_file(
    client: TestClient, session: Session, field: str, value: str
):
    office = make_office(session)
    spec = dataclasses.replace(spec_for(office, session), **{field: value})
    response = client.post(
        f"{API}/invoices",
        files={"file": ("forged.xml", render_xbrl(spec))},
        headers=office.headers["employee"],
    )
    assert_problem(response.json(), 422, "unreadable-file")
    assert client.get(f"{API}/invoices", headers=office.headers["employee"]).json()["items"] == []


def test_one_overlong_member_of_a_batch_is_rejected_and_the_rest_stored(
    client: TestClient, session: Session
):
    office = make_office(session)
    good = spec_for(office, session)
    bad = dataclasses.replace(spec_for(office, session), train_number="G" + "1" * 30)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("a.xml", render_xbrl(good))
        archive.writestr("b.xml", render_xbrl(bad))

    response = client.post(
        f"{API}/invoice-batches",
        files={"files": ("both.zip", packed.getvalue())},
        headers=office.headers["employee"],
    )

    assert response.status_code == 200, response.text
    outcomes = {r["member"]: r["outcome"] for r in response.json()["results"]}
    assert outcomes == {"a.xml": "created", "b.xml": "rejected"}
    [stored] = client.get(f"{API}/invoices", headers=office.headers["employee"]).json()["items"]
    assert stored["invoice_number"] == good.invoice_number


def test_an_id_stated_in_full_is_stored_masked_as_the_face_prints_it(
    client: TestClient, session: Session
):
    office = make_office(session)
    spec = spec_for(office, session)
    full = spec.passenger_id_masked.replace("****", "1990")[:14] + spec.passenger_id_masked[-4:]
    response = client.post(
        f"{API}/invoices",
        files={
            "file": (
                "full-id.xml",
                render_xbrl(dataclasses.replace(spec, passenger_id_masked=full)),
            )
        },
        headers=office.headers["employee"],
    )
    assert response.status_code == 201, response.text
    assert response.json()["passenger_id_masked"] == f"{full[:10]}****{full[-4:]}"
    assert full not in response.text


def test_masking_keeps_a_masked_id_and_masks_a_full_one():
    assert masked_id("1101011990****1234") == "1101011990****1234"
    assert masked_id("110101199001011234") == "1101011990****1234"
    assert masked_id("110101900101123") == "1101****1123"
    assert masked_id(None) is None
