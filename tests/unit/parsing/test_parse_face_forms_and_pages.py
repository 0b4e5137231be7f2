"""A face drawn inside a form XObject (a PDF converted from OFD keeps its template so) reads as
the same face drawn in the page content; a face with no text at all, or pages beyond the first,
are findings, never a silent pass of the face/XBRL cross-check or a silent partial read."""

from __future__ import annotations

import dataclasses
import io
import random
import time
from decimal import Decimal

import pytest
from pypdf import PdfReader, PdfWriter

from app.invoices.parsing import NotTravelInvoice, ParsedInvoice, UnreadableFile, parse_file
from railclaim_devkit.synthetic import InvoiceSpec, random_spec, render_pdf, render_xbrl
from railclaim_devkit.synthetic.pdf import PdfVariant, render_face_pdf
from railclaim_devkit.synthetic.pdf_writer import PdfDocument, ref, stream_body
from railclaim_devkit.synthetic.xbrl import attachment_name

IN_FORM = PdfVariant(face_in_form=True)


def _spec(seed: int, business_type: str = "sale") -> InvoiceSpec:
    return random_spec(random.Random(seed), business_type=business_type)


def _read(data: bytes) -> ParsedInvoice:
    [invoice] = parse_file(data, "invoice.pdf")
    return invoice


FIELDS = (
    "invoice_number", "business_type", "fare", "issue_date", "travel_date", "train_number",
    "departure_station", "arrival_station", "passenger_name", "buyer_name", "buyer_tax_id",
    "e_ticket_number",
)  # fmt: skip


@pytest.mark.parametrize("business_type", ["sale", "refund", "change"])
def test_a_face_in_a_form_xobject_reads_as_the_same_face_in_the_page(business_type: str) -> None:
    spec = _spec(5, business_type)
    in_page = _read(render_pdf(spec, PdfVariant(with_xbrl=False)))
    in_form = _read(render_pdf(spec, dataclasses.replace(IN_FORM, with_xbrl=False)))
    assert in_form.source == in_page.source == "text"
    assert {f: getattr(in_form, f) for f in FIELDS} == {f: getattr(in_page, f) for f in FIELDS}
    assert in_form.findings == in_page.findings


def test_a_tampered_face_in_a_form_xobject_disagrees_with_its_xbrl() -> None:
    spec = _spec(6)
    tampered = dataclasses.replace(spec, fare=spec.fare + Decimal("300.00"))
    invoice = _read(render_pdf(spec, IN_FORM, face=tampered))
    assert ("face-xbrl-mismatch", "fare") in [(f.code, f.field) for f in invoice.findings]


def test_a_face_without_text_beside_an_xbrl_is_a_finding() -> None:
    spec = _spec(7)
    data = render_face_pdf(
        [], attachment=(attachment_name(spec), render_xbrl(spec)), created_on=spec.issue_date
    )
    invoice = _read(data)
    assert invoice.source == "xbrl"
    assert [f.code for f in invoice.findings] == ["face-not-read"]


def _self_drawing_form_pdf(calls: int) -> bytes:
    """One page drawing a form `calls` times, the form drawing itself as often: no face, and
    work that would never end without the reader's bounds."""
    doc = PdfDocument("1.4")
    catalog, pages, page, form = doc.reserve(), doc.reserve(), doc.reserve(), doc.reserve()
    draws = b"/Fm1 Do\n" * calls
    doc.put(
        form,
        stream_body(
            b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Fm1 "
            + ref(form)
            + b" >> >>",
            draws,
        ),
    )
    contents = doc.add_stream(b"", draws)
    doc.put(
        page,
        b"<< /Type /Page /Parent " + ref(pages) + b" /MediaBox [0 0 100 100] /Resources << "
        b"/XObject << /Fm1 " + ref(form) + b" >> >> /Contents " + ref(contents) + b" >>",
    )
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def test_a_form_drawing_itself_is_bounded_work_and_a_clear_refusal() -> None:
    started = time.perf_counter()
    # No face text: not a travel invoice, or unreadable where pypdf's fallback gives up on it.
    with pytest.raises((NotTravelInvoice, UnreadableFile)):
        parse_file(_self_drawing_form_pdf(1000), "loop.pdf")
    assert time.perf_counter() - started < 5.0  # a generous bound: seconds, not minutes


def test_a_pdf_of_several_invoices_is_read_from_its_first_page_and_says_so() -> None:
    first, second = _spec(8), _spec(9)
    writer = PdfWriter()
    for spec in (first, second):
        writer.append(PdfReader(io.BytesIO(render_pdf(spec, PdfVariant(with_xbrl=False)))))
    merged = io.BytesIO()
    writer.write(merged)
    invoice = _read(merged.getvalue())
    assert invoice.invoice_number == first.invoice_number
    assert [f.code for f in invoice.findings] == ["extra-pages"]
    assert "2 pages" in invoice.findings[0].message
