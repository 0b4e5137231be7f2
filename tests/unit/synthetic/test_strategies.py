"""The Hypothesis strategies yield valid specs and variants that render."""

from __future__ import annotations

from hypothesis import given, settings

from railclaim_devkit.synthetic import (
    AirInvoiceSpec,
    AirXbrlOptions,
    InvoiceSpec,
    PdfVariant,
    is_valid_uscc,
    render_air_pdf,
    render_pdf,
)
from tests.fixtures.air_strategies import air_invoice_specs, air_xbrl_options
from tests.fixtures.hostile import HOSTILE_FILES
from tests.fixtures.strategies import invoice_specs, pdf_variants


@settings(max_examples=40, deadline=None)
@given(spec=invoice_specs(allow_personal_buyer=True), variant=pdf_variants())
def test_strategies_render(spec: InvoiceSpec, variant: PdfVariant):
    assert spec.fare == spec.amount_excluding_tax + spec.tax_amount
    assert spec.buyer_tax_id is None or is_valid_uscc(spec.buyer_tax_id)
    assert render_pdf(spec, variant).startswith(b"%PDF-1.4")


@settings(max_examples=20, deadline=None)
@given(spec=invoice_specs(business_types=("sale",), allow_red_letter=False))
def test_pinned_kind_is_respected(spec: InvoiceSpec):
    assert spec.business_type == "sale"
    assert spec.fare > 0


def test_hostile_list_is_exposed():
    assert len({h.name for h in HOSTILE_FILES}) == len(HOSTILE_FILES) >= 20


@settings(max_examples=30, deadline=None)
@given(spec=air_invoice_specs(allow_personal_buyer=True), xbrl=air_xbrl_options())
def test_air_strategies_render(spec: AirInvoiceSpec, xbrl: AirXbrlOptions):
    parts = (spec.fare, spec.fuel_surcharge, spec.tax_amount, spec.civil_aviation_fund)
    assert sum(parts) + spec.other_taxes == spec.total_amount
    assert spec.buyer_tax_id is None or is_valid_uscc(spec.buyer_tax_id)
    assert render_air_pdf(spec, xbrl=xbrl).startswith(b"%PDF-1.4")


@settings(max_examples=20, deadline=None)
@given(spec=air_invoice_specs(business_types=("refund",), segment_counts=(3,)))
def test_air_pinned_kind_and_segments_are_respected(spec: AirInvoiceSpec):
    assert spec.business_type == "refund"
    assert len(spec.segments) == 3
