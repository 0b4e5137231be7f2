"""One regression test per variant real 12306 files show (DOMAIN §4, issue 14), named after it.

Each builds the file the public reports describe and checks the field the variant endangers; the
property grid (test_parse_properties.py) then checks every field of every variant.
"""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.invoices.parsing import ParsedInvoice, ParseError, parse_file
from railclaim_devkit.synthetic import FaceStyle, InvoiceSpec, random_spec
from railclaim_devkit.synthetic.real_variants import RealVariant, render_real
from railclaim_devkit.synthetic.xbrl import XbrlOptions

FEE_RATE = Decimal("0.06")


def _spec(kind: str = "sale", seed: int = 14, **overrides: object) -> InvoiceSpec:
    return random_spec(random.Random(seed), business_type=kind, **overrides)


def _parse(data: bytes) -> ParsedInvoice:
    [invoice] = parse_file(data)
    return invoice


def _codes(invoice: ParsedInvoice) -> list[str]:
    return [f.code for f in invoice.findings]


# --- the XBRL, found by what it is -------------------------------------------------------------


@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_refund_fee_xbrl_named_0_without_subtype_keeps_its_6_percent_tax(rendition: str) -> None:
    spec = _spec("refund")
    invoice = _parse(render_real(spec, "attachment-named-0", rendition))  # type: ignore[arg-type]
    assert invoice.source == "xbrl"
    assert (invoice.tax_rate, invoice.tax_amount) == (FEE_RATE, spec.tax_amount)
    assert invoice.xbrl is not None
    assert _codes(invoice) == []


@pytest.mark.parametrize(
    "variant", ["attachment-catalog-af", "attachment-page-af", "attachment-annotation"]
)
def test_pdf_xbrl_declared_outside_the_name_tree_is_found(variant: str) -> None:
    spec = _spec("refund")
    data = render_real(spec, variant, "pdf")
    assert list(PdfReader(io.BytesIO(data)).attachment_list) == []  # no EmbeddedFiles tree
    invoice = _parse(data)
    assert (invoice.source, invoice.tax_amount) == ("xbrl", spec.tax_amount)


@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_xbrl_beside_an_unrelated_xml_listed_first_is_found(rendition: str) -> None:
    spec = _spec("change")
    invoice = _parse(render_real(spec, "attachment-decoy-first", rendition))  # type: ignore[arg-type]
    assert (invoice.source, invoice.tax_rate) == ("xbrl", FEE_RATE)


def test_ofd_xbrl_under_attachs_but_not_declared_is_found() -> None:
    spec = _spec("refund")
    data = render_real(spec, "attachment-undeclared", "ofd")
    assert "Doc_0/Attachs/0" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert _parse(data).tax_amount == spec.tax_amount


def test_xbrl_under_another_name_beside_a_decoy_is_found_and_the_decoy_alone_is_not() -> None:
    spec = _spec("sale")
    variant = RealVariant(attachment_name="rai_receiver.xml", decoy_attachment=True)
    # With the XBRL left out, the decoy is the only attachment: the face is read instead.
    data = render_real(spec, variant, "pdf", with_xbrl=True)
    assert _parse(data).source == "xbrl"
    face_only = render_real(spec, variant, "pdf", with_xbrl=False)
    assert _parse(face_only).source == "text"


# --- the business type, from evidence ------------------------------------------------------------


@pytest.mark.parametrize("variant", ["empty-fee-label", "empty-fee-label-own-line"])
@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_sale_printing_an_empty_refund_fee_label_is_a_sale(variant: str, rendition: str) -> None:
    spec = _spec("sale", face_marker=None)
    face_only = _parse(render_real(spec, variant, rendition, with_xbrl=False))  # type: ignore[arg-type]
    assert (face_only.business_type, face_only.fare) == ("sale", spec.fare)
    assert _codes(face_only) == []
    with_xbrl = _parse(render_real(spec, variant, rendition))  # type: ignore[arg-type]
    assert _codes(with_xbrl) == []  # no face-xbrl-mismatch on the business type


@pytest.mark.parametrize(
    ("kind", "marker"), [("refund", "退票"), ("difference", "差额退票"), ("change", "始发改签")]
)
def test_red_markers_name_the_kind_of_a_face_only_invoice(kind: str, marker: str) -> None:
    spec = _spec(kind)
    assert spec.face_marker == marker
    data = render_real(spec, "common", "pdf", with_xbrl=False)
    assert b"1 0 0 rg" in zlib_page(data)
    invoice = _parse(data)
    assert invoice.business_type == kind
    assert _codes(invoice) == []


def test_refund_face_whose_amount_is_labelled_fare_is_business_type_unclear() -> None:
    # 票价 carries the amount but the face is marked 退票: conflicting evidence, not a guess.
    spec = _spec("refund")
    variant = RealVariant(face=FaceStyle(fee_labels=False))
    face_only = _parse(render_real(spec, variant, "pdf", with_xbrl=False))
    # Read by its label as a sale, which its issue date (before travel) also questions.
    assert face_only.business_type == "sale"
    assert _codes(face_only) == ["business-type-unclear", "issue-before-travel"]
    with_xbrl = _parse(render_real(spec, variant, "ofd"))
    assert with_xbrl.business_type == "refund"  # the XBRL's word stands, flagged
    assert "business-type-unclear" in _codes(with_xbrl)


def test_xbrl_sale_whose_face_carries_a_refund_fee_is_business_type_unclear() -> None:
    sale = _spec("sale", face_marker=None)
    refund_face = dataclasses.replace(sale, business_type="refund", face_marker="退票")
    from railclaim_devkit.synthetic import render_pdf

    invoice = _parse(render_pdf(sale, face=refund_face))
    assert invoice.business_type == "sale"
    assert "business-type-unclear" in _codes(invoice)


# --- fonts never sink a parse -------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant", ["font-kaiti", "font-simhei", "font-mixed", "font-dengxian-two-fontfiles"]
)
def test_font_set_ups_decode_from_the_content_stream(variant: str) -> None:
    spec = _spec("refund")
    invoice = _parse(render_real(spec, variant, "pdf", with_xbrl=False))
    assert invoice.fare == spec.fare
    assert invoice.passenger_name == spec.passenger_name
    assert invoice.business_type == "refund"


def test_embedded_dengxian_with_two_fontfiles_is_what_pypdf_refuses() -> None:
    data = render_real(_spec(), "font-dengxian-two-fontfiles", "pdf")
    with pytest.raises(Exception, match="More than one /FontFile"):
        PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert _parse(data).findings == ()


def _undecodable_face(spec: InvoiceSpec, *, with_xbrl: bool) -> bytes:
    """DengXian with two FontFile entries under a CMap this reader does not decode itself, so
    only pypdf could read the face, and pypdf refuses the font."""
    data = render_real(spec, "font-dengxian-two-fontfiles", "pdf", with_xbrl=with_xbrl)
    patched = data.replace(b"/Encoding /GBK-EUC-H", b"/Encoding/Identity-H")
    assert patched != data
    assert len(patched) == len(data)  # the same byte offsets: the xref table still holds
    return patched


def test_a_face_font_pypdf_refuses_is_a_finding_when_the_xbrl_is_there() -> None:
    spec = _spec("sale")
    invoice = _parse(_undecodable_face(spec, with_xbrl=True))
    assert (invoice.source, invoice.fare) == ("xbrl", spec.fare)
    assert _codes(invoice) == ["face-font-unreadable"]


def test_a_face_font_nothing_decodes_without_xbrl_is_a_typed_refusal() -> None:
    with pytest.raises(ParseError) as refused:
        parse_file(_undecodable_face(_spec("sale"), with_xbrl=False))
    assert refused.value.code == "unreadable-file"
    assert "fonts" in refused.value.message


# --- drawing orders, XBRL extras, reported text layouts -------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "amount-before-label",
        "id-after-amount",
        "seal-interleaved",
        "fullwidth-text",
        "label-spaced",
        "label-no-colon",
        "scrambled-order",
        "everything",
    ],
)
@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_reported_drawing_orders_and_layouts_read_every_printed_field(
    variant: str, rendition: str
) -> None:
    spec = _spec("refund", personal_buyer=variant == "everything")
    invoice = _parse(render_real(spec, variant, rendition, with_xbrl=False))  # type: ignore[arg-type]
    expected = {**spec.face_fields(), "business_type": "refund"}
    assert {name: getattr(invoice, name) for name in expected} == expected


def test_seal_glyphs_interleave_with_the_title_in_stream_order() -> None:
    data = render_real(_spec(), "seal-interleaved", "pdf", with_xbrl=False)
    stream = zlib_page(data).decode("latin-1")
    title_hex = "B5E7D7D3B7A2C6B1"  # 电子发票 in GBK, drawn glyph by glyph
    assert title_hex not in stream.replace("> Tj", "").replace("<", "")
    assert _parse(data).fare > 0


@pytest.mark.parametrize("rendition", ["pdf", "ofd"])
def test_extra_xbrl_elements_and_a_nil_issue_party_are_ignored(rendition: str) -> None:
    spec = _spec("refund")
    invoice = _parse(render_real(spec, "xbrl-extra-elements", rendition))  # type: ignore[arg-type]
    assert invoice.xbrl is not None
    assert b"AmountRefunded" in invoice.xbrl
    assert b'xsi:nil="true"' in invoice.xbrl
    assert {n: getattr(invoice, n) for n in spec.parsed_fields()} == spec.parsed_fields()
    assert _codes(invoice) == []


def test_a_later_taxonomy_date_still_reads() -> None:
    options = XbrlOptions(taxonomy_date="2025-05-19")
    spec = _spec("change")
    invoice = _parse(render_real(spec, RealVariant(xbrl=options, attachment_name="0"), "pdf"))
    assert (invoice.source, invoice.tax_amount) == ("xbrl", spec.tax_amount)


def zlib_page(data: bytes) -> bytes:
    """The first page's decoded content stream."""
    contents = PdfReader(io.BytesIO(data)).pages[0].get_contents()
    assert contents is not None
    return bytes(contents.get_data())
