"""Property tests: any valid invoice, rendered in any variant, parses back to its own values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.invoices.parsing import ParsedInvoice, parse_file
from railclaim_devkit.synthetic import (
    FaceStyle,
    InvoiceSpec,
    PdfVariant,
    XbrlOptions,
    render_12306_bundle,
    render_ofd,
    render_pdf,
    render_xbrl,
)
from tests.fixtures.strategies import face_styles, invoice_specs, pdf_variants, xbrl_options

ROUND_TRIP = settings(max_examples=40, deadline=None)


def _values(invoice: ParsedInvoice, names: tuple[str, ...] | list[str]) -> dict[str, object]:
    return {name: getattr(invoice, name) for name in names}


def _expected_codes(spec: InvoiceSpec, *, from_xbrl: bool, fee_labels: bool = True) -> list[str]:
    """The findings a valid invoice still earns, given what its source can tell."""
    kind = spec.business_type
    if not from_xbrl and not (kind in ("refund", "change") and fee_labels):
        kind = "sale"  # the face names fee invoices by their wording only, and never 退差
    codes = []
    if spec.fare < 0 and kind != "difference":
        codes.append("red-letter")
    if kind == "sale" and spec.fare >= 0 and spec.issue_date < spec.travel_date:
        codes.append("issue-before-travel")  # a fee invoice the face does not name as one
    return sorted(codes, key=["issue-before-travel", "red-letter"].index)


def _assert_round_trip(
    invoice: ParsedInvoice, spec: InvoiceSpec, *, from_xbrl: bool, fee_labels: bool = True
) -> None:
    expected = spec.parsed_fields() if from_xbrl else spec.face_fields()
    assert _values(invoice, list(expected)) == expected
    assert invoice.source == ("xbrl" if from_xbrl else "text")
    codes = [f.code for f in invoice.findings]
    assert codes == _expected_codes(spec, from_xbrl=from_xbrl, fee_labels=fee_labels)


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), variant=pdf_variants())
def test_pdf_round_trip(spec: InvoiceSpec, variant: PdfVariant) -> None:
    [invoice] = parse_file(render_pdf(spec, variant), f"{spec.invoice_number}.pdf")
    _assert_round_trip(
        invoice, spec, from_xbrl=variant.with_xbrl, fee_labels=variant.face.fee_labels
    )
    assert [r.kind for r in invoice.renditions] == ["pdf"]


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), style=face_styles(), with_xbrl=st.booleans())
def test_ofd_round_trip(spec: InvoiceSpec, style: FaceStyle, with_xbrl: bool) -> None:
    [invoice] = parse_file(render_ofd(spec, style=style, with_xbrl=with_xbrl))
    _assert_round_trip(invoice, spec, from_xbrl=with_xbrl, fee_labels=style.fee_labels)
    assert [r.kind for r in invoice.renditions] == ["ofd"]


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), options=xbrl_options())
def test_xml_round_trip(spec: InvoiceSpec, options: XbrlOptions) -> None:
    [invoice] = parse_file(render_xbrl(spec, options))
    expected = spec.parsed_fields()
    if not options.e_ticket_element:
        expected["e_ticket_number"] = None  # only the face would print it, and XML has none
    assert _values(invoice, list(expected)) == expected
    assert [f.code for f in invoice.findings] == _expected_codes(spec, from_xbrl=True)


@settings(max_examples=25, deadline=None)
@given(
    specs=st.lists(invoice_specs(), min_size=1, max_size=3, unique_by=lambda s: s.invoice_number)
)
def test_zip_bundle_round_trip(specs: list[InvoiceSpec]) -> None:
    invoices = parse_file(render_12306_bundle(specs), "12306.zip")
    assert [i.invoice_number for i in invoices] == [s.invoice_number for s in specs]
    for invoice, spec in zip(invoices, specs, strict=True):
        _assert_round_trip(invoice, spec, from_xbrl=True)
        assert [r.kind for r in invoice.renditions] == ["pdf", "ofd"]
        assert [r.filename for r in invoice.renditions] == [
            f"{spec.invoice_number}.pdf",
            f"{spec.invoice_number}.ofd",
        ]


@settings(max_examples=30, deadline=None)
@given(spec=invoice_specs(), variant=pdf_variants(with_xbrl=True))
def test_xbrl_only_reading_matches_the_full_parse(spec: InvoiceSpec, variant: PdfVariant) -> None:
    data = render_pdf(spec, variant)
    [quick] = parse_file(data, cross_check=False)
    [full] = parse_file(data)
    names = [n for n in spec.parsed_fields() if n != "e_ticket_number"]
    assert _values(quick, names) == _values(full, names)
    # Without the face, an e-ticket number the XBRL leaves out stays unknown.
    in_xbrl = variant.xbrl.e_ticket_element
    assert quick.e_ticket_number == (full.e_ticket_number if in_xbrl else None)
