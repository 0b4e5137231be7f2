"""The Hypothesis strategies yield valid specs and variants that render."""

from __future__ import annotations

from hypothesis import given, settings

from railclaim_devkit.synthetic import InvoiceSpec, PdfVariant, is_valid_uscc, render_pdf
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
