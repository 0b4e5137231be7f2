"""Property tests: any valid invoice, rendered in any variant, parses back to its own values."""

from __future__ import annotations

import random

import pytest
from _pytest.mark import ParameterSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.invoices.parsing import ParsedInvoice, parse_file
from railclaim_devkit.synthetic import (
    FaceStyle,
    InvoiceSpec,
    PdfVariant,
    XbrlOptions,
    random_spec,
    render_12306_bundle,
    render_ofd,
    render_pdf,
    render_xbrl,
)
from railclaim_devkit.synthetic.real_variants import (
    REAL_VARIANT_NAMES,
    XBRL_ONLY_VARIANTS,
    Rendition,
    render_real,
)
from tests.fixtures.strategies import face_styles, invoice_specs, pdf_variants, xbrl_options

ROUND_TRIP = settings(max_examples=40, deadline=None)
# The variant grid's breadth is in its parameters; a few examples each keep the suite fast.
GRID = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = ("sale", "refund", "change", "red-letter", "difference")


def _values(invoice: ParsedInvoice, names: tuple[str, ...] | list[str]) -> dict[str, object]:
    return {name: getattr(invoice, name) for name in names}


def _expected(spec: InvoiceSpec, *, from_xbrl: bool) -> dict[str, object]:
    """Every field the source carries: all of them from the XBRL; what the face prints, and the
    business type its amount's label and markers tell, from the face alone."""
    if from_xbrl:
        return spec.parsed_fields()
    return {**spec.face_fields(), "business_type": spec.business_type}


def _expected_codes(spec: InvoiceSpec) -> list[str]:
    """The findings a valid invoice still earns: a red-letter is one."""
    return ["red-letter"] if spec.fare < 0 and spec.business_type != "difference" else []


def _assert_round_trip(invoice: ParsedInvoice, spec: InvoiceSpec, *, from_xbrl: bool) -> None:
    expected = _expected(spec, from_xbrl=from_xbrl)
    assert _values(invoice, list(expected)) == expected
    assert invoice.source == ("xbrl" if from_xbrl else "text")
    assert [f.code for f in invoice.findings] == _expected_codes(spec)


def _grid() -> list[ParameterSet]:
    """Every reported variant × business type × XBRL or face only × PDF or OFD; variants that
    change only the XBRL are not repeated face only (they would be `common` again)."""
    return [
        pytest.param(variant, kind, with_xbrl, rendition, id=f"{variant}-{kind}-{src}-{rendition}")
        for variant in REAL_VARIANT_NAMES
        for kind in KINDS
        for with_xbrl, src in ((True, "xbrl"), (False, "face"))
        if with_xbrl or variant not in XBRL_ONLY_VARIANTS
        for rendition in ("pdf", "ofd")
    ]


def _grid_spec(rng: random.Random, kind: str) -> InvoiceSpec:
    personal = rng.random() < 0.3
    if kind == "red-letter":
        return random_spec(rng, business_type="sale", red_letter=True, personal_buyer=personal)
    return random_spec(rng, business_type=kind, personal_buyer=personal)


@pytest.mark.parametrize(("variant", "kind", "with_xbrl", "rendition"), _grid())
@GRID
@given(rng=st.randoms(use_true_random=False))
def test_every_reported_variant_reads_every_field(
    variant: str, kind: str, with_xbrl: bool, rendition: Rendition, rng: random.Random
) -> None:
    spec = _grid_spec(rng, kind)
    [invoice] = parse_file(render_real(spec, variant, rendition, with_xbrl=with_xbrl))
    _assert_round_trip(invoice, spec, from_xbrl=with_xbrl)
    assert [r.kind for r in invoice.renditions] == [rendition]


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), variant=pdf_variants())
def test_pdf_round_trip(spec: InvoiceSpec, variant: PdfVariant) -> None:
    [invoice] = parse_file(render_pdf(spec, variant), f"{spec.invoice_number}.pdf")
    _assert_round_trip(invoice, spec, from_xbrl=variant.with_xbrl)
    assert [r.kind for r in invoice.renditions] == ["pdf"]


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), style=face_styles(), with_xbrl=st.booleans())
def test_ofd_round_trip(spec: InvoiceSpec, style: FaceStyle, with_xbrl: bool) -> None:
    [invoice] = parse_file(render_ofd(spec, style=style, with_xbrl=with_xbrl))
    _assert_round_trip(invoice, spec, from_xbrl=with_xbrl)
    assert [r.kind for r in invoice.renditions] == ["ofd"]


@ROUND_TRIP
@given(spec=invoice_specs(allow_personal_buyer=True), options=xbrl_options())
def test_xml_round_trip(spec: InvoiceSpec, options: XbrlOptions) -> None:
    [invoice] = parse_file(render_xbrl(spec, options))
    expected = spec.parsed_fields()
    if not options.e_ticket_element:
        expected["e_ticket_number"] = None  # only the face would print it, and XML has none
    assert _values(invoice, list(expected)) == expected
    assert [f.code for f in invoice.findings] == _expected_codes(spec)


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
