"""Each finding code: raised when its rule is broken, silent on a valid invoice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import zipfile
from decimal import Decimal

import pytest

from app.invoices.parsing import ParsedInvoice, parse_file
from app.invoices.parsing.checks import check_invoice
from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.railway_fields import RAILWAY
from railclaim_devkit.synthetic import (
    InvoiceSpec,
    layout_face,
    random_spec,
    red_letter_of,
    render_ofd,
    render_pdf,
    render_xbrl,
    split_tax,
)
from railclaim_devkit.synthetic.pdf import PdfVariant, render_face_pdf
from railclaim_devkit.synthetic.xbrl import XbrlOptions, attachment_name
from railclaim_devkit.synthetic.zipfiles import render_zip


def _spec(seed: int = 11, **overrides: object) -> InvoiceSpec:
    return random_spec(random.Random(seed), business_type="sale", **overrides)


def _codes(invoice: ParsedInvoice) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in invoice.findings]


def _xml(spec: InvoiceSpec) -> ParsedInvoice:
    [invoice] = parse_file(render_xbrl(spec), "x.xml")
    return invoice


def test_valid_invoice_has_no_findings() -> None:
    assert _xml(_spec()).findings == ()


def test_arithmetic_fare_is_not_excl_plus_tax() -> None:
    spec = _spec()
    tampered = dataclasses.replace(spec, tax_amount=spec.tax_amount + Decimal("0.01"))
    assert ("arithmetic", "fare") in _codes(_xml(tampered))


def test_arithmetic_tax_does_not_follow_the_rate() -> None:
    spec = _spec(fare=Decimal("553.00"))
    tampered = dataclasses.replace(spec, tax_rate=Decimal("0.13"))
    assert _codes(_xml(tampered)) == [("arithmetic", "tax_amount")]


@pytest.mark.parametrize(
    "number",
    ["2511919999900000001", "24119199999000000001", "25999199999000000001", "2511919999900000000A"],
    ids=["19-digits", "year-not-issue-year", "unknown-region", "not-digits"],
)
def test_invoice_number_structure(number: str) -> None:
    march = {"travel_date": dt.date(2025, 3, 1), "issue_date": dt.date(2025, 3, 10)}
    spec = _spec(**march, invoice_number=number)
    assert _codes(_xml(spec)) == [("invoice-number-structure", "invoice_number")]


def test_uscc_check_digit() -> None:
    spec = _spec()
    assert spec.buyer_tax_id is not None
    wrong = spec.buyer_tax_id[:17] + ("1" if spec.buyer_tax_id[17] != "1" else "2")
    assert _codes(_xml(dataclasses.replace(spec, buyer_tax_id=wrong))) == [
        ("uscc-check-digit", "buyer_tax_id")
    ]


def test_personal_title_without_uscc_is_not_a_finding() -> None:
    spec = random_spec(random.Random(4), business_type="sale", personal_buyer=True)
    [invoice] = parse_file(render_pdf(spec))
    assert (invoice.buyer_name, invoice.buyer_tax_id, invoice.findings) == (
        spec.buyer_name,
        None,
        (),
    )


def test_sale_issued_before_travel_but_not_a_refund() -> None:
    spec = _spec()
    sale = dataclasses.replace(spec, issue_date=spec.travel_date - dt.timedelta(days=1))
    assert ("issue-before-travel", "issue_date") in _codes(_xml(sale))
    refund = dataclasses.replace(sale, business_type="refund")
    assert "issue-before-travel" not in [code for code, _ in _codes(_xml(refund))]


def test_red_letter_invoice() -> None:
    blue = _spec()
    red = _xml(red_letter_of(blue, random.Random(1)))
    assert _codes(red) == [("red-letter", "fare")]
    assert red.is_red_letter
    assert red.original_invoice_number == blue.invoice_number


def test_fare_difference_is_negative_without_being_red_letter() -> None:
    spec = random_spec(random.Random(8), business_type="difference")
    invoice = _xml(spec)
    assert invoice.fare < 0
    assert not invoice.is_red_letter
    assert invoice.findings == ()


def test_unknown_business_type_reads_as_sale_with_a_finding() -> None:
    xml = render_xbrl(_spec()).replace("售".encode(), "赠".encode())
    [invoice] = parse_file(xml)
    assert invoice.business_type == "sale"
    assert _codes(invoice) == [("unknown-business-type", "business_type")]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fare", Decimal("999.50")),
        ("passenger_name", "李四"),
        ("arrival_station", "拉萨"),
        ("seat", "16F"),
        ("e_ticket_number", "E1234567890123456789012025"),
        ("buyer_tax_id", "91110000000000000X"),
    ],
)
def test_face_xbrl_mismatch_names_the_field(field: str, value: object) -> None:
    shown = _spec(seat_class="二等座", seat="08A")
    stated = dataclasses.replace(shown, **{field: value})
    pdf = render_face_pdf(
        layout_face(shown),
        attachment=(attachment_name(stated), render_xbrl(stated)),
        created_on=shown.issue_date,
    )
    [invoice] = parse_file(pdf)
    assert ("face-xbrl-mismatch", field) in _codes(invoice)
    assert getattr(invoice, field) == value  # the XBRL is reported, not silently replaced


def test_ofd_face_xbrl_mismatch() -> None:
    spec = _spec()
    fare = spec.fare + 10
    excluding, tax = split_tax(fare, spec.tax_rate)
    stated = dataclasses.replace(spec, fare=fare, amount_excluding_tax=excluding, tax_amount=tax)
    members = _zip_members(render_ofd(spec))
    name = next(n for n in members if "rai_issuer" in n)
    members[name] = render_xbrl(stated)
    [invoice] = parse_file(render_zip(list(members.items())))
    assert _codes(invoice) == [("face-xbrl-mismatch", "fare")]


def test_face_missing_the_number_is_a_mismatch() -> None:
    spec = _spec()
    blocks = [b for b in layout_face(spec) if b.role != "invoice_number"]
    pdf = render_face_pdf(
        blocks, attachment=(attachment_name(spec), render_xbrl(spec)), created_on=spec.issue_date
    )
    [invoice] = parse_file(pdf)
    assert _codes(invoice) == [("face-xbrl-mismatch", "invoice_number")]
    assert invoice.invoice_number == spec.invoice_number


def test_xbrl_without_the_e_ticket_element_takes_it_from_the_face() -> None:
    spec = _spec()
    options = XbrlOptions(e_ticket_element=False, empty_elements=False)
    pdf = render_face_pdf(
        layout_face(spec),
        attachment=(attachment_name(spec), render_xbrl(spec, options)),
        created_on=spec.issue_date,
    )
    [invoice] = parse_file(pdf)
    assert (invoice.e_ticket_number, invoice.findings) == (spec.e_ticket_number, ())


def test_renditions_that_disagree_are_merged_with_a_finding() -> None:
    spec = _spec()
    other = dataclasses.replace(spec, passenger_name="王五")
    bundle = render_zip([("a.pdf", render_pdf(spec)), ("a.ofd", render_ofd(other))])
    [invoice] = parse_file(bundle)
    assert [r.kind for r in invoice.renditions] == ["pdf", "ofd"]
    assert ("rendition-mismatch", "passenger_name") in _codes(invoice)


def _zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("fare", "excl", "tax", "opposite"),
    [
        # Sums that add up, with no rate to check the tax against: only the signs tell.
        ("553.00", "-47.00", "600.00", ["amount_excluding_tax"]),
        ("553.00", "653.00", "-100.00", ["tax_amount"]),
        ("-553.00", "-598.66", "45.66", ["tax_amount"]),
    ],
)
def test_arithmetic_amounts_of_the_other_sign_than_the_fare(
    fare: str, excl: str, tax: str, opposite: list[str]
) -> None:
    fields = InvoiceFields(
        fare=Decimal(fare), amount_excluding_tax=Decimal(excl), tax_amount=Decimal(tax)
    )
    findings = check_invoice(fields, RAILWAY)
    assert [f.field for f in findings if f.code == "arithmetic"] == opposite


@pytest.mark.parametrize(
    ("fare", "excl", "tax"), [("553.00", "507.34", "45.66"), ("-553.00", "-507.34", "-45.66")]
)
def test_a_blue_and_a_red_letter_invoice_have_amounts_of_one_sign(
    fare: str, excl: str, tax: str
) -> None:
    fields = InvoiceFields(
        fare=Decimal(fare), amount_excluding_tax=Decimal(excl), tax_amount=Decimal(tax)
    )
    assert [f for f in check_invoice(fields, RAILWAY) if f.code == "arithmetic"] == []


@pytest.mark.parametrize("fmt", ["pdf", "ofd"])
def test_a_text_only_red_letter_face_reads_its_own_number_and_the_reversed_one(fmt: str) -> None:
    # The 数电 remark (被红冲蓝字数电发票号码:…) ends in 发票号码 like the invoice's own label.
    blue = _spec()
    red_spec = red_letter_of(blue, random.Random(1))
    data = (
        render_pdf(red_spec, PdfVariant(with_xbrl=False))
        if fmt == "pdf"
        else render_ofd(red_spec, with_xbrl=False)
    )
    [red] = parse_file(data, f"red.{fmt}")
    assert red.invoice_number == red_spec.invoice_number
    assert red.original_invoice_number == blue.invoice_number
    assert red.is_red_letter
