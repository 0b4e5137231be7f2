"""A file stating values no invoice prints is refused as unreadable (never a database error), on
its own and as one member of a batch; an ID stated in full is stored masked."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.invoices.models import Invoice
from app.invoices.parsing.field_limits import (
    FIELD_LIMITS,
    MONEY_FIELDS,
    MONEY_LIMIT,
    masked_id,
    refuse_out_of_range,
)
from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.model import UnreadableFile
from railclaim_devkit.synthetic import render_pdf
from railclaim_devkit.synthetic.xbrl import render_xbrl
from tests.api.ledger_helpers import API, make_office, spec_for
from tests.api.test_auth import assert_problem


def test_the_limits_are_the_invoice_columns_widths_and_precision():
    columns = Invoice.__table__.columns  # type: ignore[attr-defined]
    read = {f.name for f in dataclasses.fields(InvoiceFields)}
    # Every text column a file's value goes into has its limit, and the limit is its width.
    widths = {
        c.name: c.type.length
        for c in columns
        # business_type is one of the parser's own words, never a file's text
        if c.name in read - {"business_type"} and getattr(c.type, "length", None)
    }
    assert widths == FIELD_LIMITS
    numbers = {c.name: (c.type.precision, c.type.scale) for c in columns if c.name in MONEY_FIELDS}
    assert {name: numbers[name] for name in MONEY_FIELDS} == dict.fromkeys(MONEY_FIELDS, (14, 2))
    assert Decimal(10) ** (14 - 2) == MONEY_LIMIT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fare", Decimal("123456789012345.00")),
        ("tax_rate", Decimal("1000")),
        ("tax_rate", Decimal("-0.09")),
    ],
)
def test_an_amount_or_rate_no_invoice_has_is_an_unreadable_file(
    client: TestClient, session: Session, field: str, value: Decimal
):
    office = make_office(session)
    spec = dataclasses.replace(spec_for(office, session), **{field: value})
    response = client.post(
        f"{API}/invoices",
        files={"file": ("forged.xml", render_xbrl(spec))},
        headers=office.headers["employee"],
    )
    assert_problem(response.json(), 422, "unreadable-file")


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


def test_a_pdf_whose_xbrl_states_the_id_in_full_matches_its_masked_face(
    client: TestClient, session: Session
):
    office = make_office(session)
    face = spec_for(office, session)
    full = face.passenger_id_masked.replace("****", "0101")
    pdf = render_pdf(dataclasses.replace(face, passenger_id_masked=full), face=face)
    response = client.post(
        f"{API}/invoices", files={"file": ("a.pdf", pdf)}, headers=office.headers["employee"]
    )
    assert response.status_code == 201, response.text
    assert response.json()["passenger_id_masked"] == face.passenger_id_masked
    assert "face-xbrl-mismatch" not in [w["code"] for w in response.json()["warnings"]]
    assert full not in response.text


def test_a_differing_id_is_a_mismatch_whose_message_quotes_no_id(
    client: TestClient, session: Session
):
    office = make_office(session)
    face = spec_for(office, session)
    other = face.passenger_id_masked[:-4] + "9999"
    pdf = render_pdf(dataclasses.replace(face, passenger_id_masked=other), face=face)
    response = client.post(
        f"{API}/invoices", files={"file": ("b.pdf", pdf)}, headers=office.headers["employee"]
    )
    assert response.status_code == 201, response.text
    [mismatch] = [w for w in response.json()["warnings"] if w["code"] == "face-xbrl-mismatch"]
    assert "differ" in mismatch["message"]
    assert other not in mismatch["message"]
    assert face.passenger_id_masked not in mismatch["message"]


def test_an_amount_in_fractions_of_a_cent_is_refused():
    with pytest.raises(UnreadableFile, match="tax amount"):
        refuse_out_of_range(InvoiceFields(fare=Decimal("553.00"), tax_amount=Decimal("45.666")))
    refuse_out_of_range(InvoiceFields(fare=Decimal("553.00"), tax_amount=Decimal("45.66")))


def test_masking_keeps_a_masked_id_and_masks_a_full_one():
    assert masked_id("1101011990****1234") == "1101011990****1234"
    assert masked_id("110101199001011234") == "1101011990****1234"
    assert masked_id("110101900101123") == "****1123"
    assert masked_id("E12345678") == "****5678"
    assert masked_id(None) is None
