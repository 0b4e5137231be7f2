"""Deterministic synthetic railway e-invoices (PDF, OFD, XBRL, ZIP) for tests, benchmarks and demos.

Pure: stdlib and pypdf only. Typical use::

    rng = random.Random(7)
    spec = random_spec(rng)
    pdf = render_pdf(spec, PdfVariant(face=FaceStyle(order="scrambled")))
    assert parse_file(pdf)[0].fare == spec.fare
"""

from railclaim_devkit.synthetic.builder import (
    fee_invoice_for,
    random_company_name,
    random_person_name,
    random_spec,
    red_letter_of,
)
from railclaim_devkit.synthetic.bundle import bundle_members, render_12306_bundle
from railclaim_devkit.synthetic.corpus import (
    PDF_VARIANTS,
    VARIANT_NAMES,
    CorpusFile,
    generate_corpus,
    render_variant,
)
from railclaim_devkit.synthetic.face_layout import FaceStyle, layout_face
from railclaim_devkit.synthetic.hostile import HostileFile, hostile_files
from railclaim_devkit.synthetic.identifiers import (
    invoice_number,
    is_valid_uscc,
    masked_id_number,
    random_uscc,
    uscc_with_check_digit,
)
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import PdfVariant, render_pdf
from railclaim_devkit.synthetic.spec import (
    FACE_FIELDS,
    PARSED_FIELDS,
    BusinessType,
    InvoiceSpec,
    split_tax,
)
from railclaim_devkit.synthetic.vat import (
    render_plain_pdf,
    render_vat_invoice_pdf,
    render_vat_invoice_xml,
)
from railclaim_devkit.synthetic.xbrl import XbrlOptions, render_xbrl
from railclaim_devkit.synthetic.zipfiles import render_zip

__all__ = [
    "FACE_FIELDS",
    "PARSED_FIELDS",
    "PDF_VARIANTS",
    "VARIANT_NAMES",
    "BusinessType",
    "CorpusFile",
    "FaceStyle",
    "HostileFile",
    "InvoiceSpec",
    "PdfVariant",
    "XbrlOptions",
    "bundle_members",
    "fee_invoice_for",
    "generate_corpus",
    "hostile_files",
    "invoice_number",
    "is_valid_uscc",
    "layout_face",
    "masked_id_number",
    "random_company_name",
    "random_person_name",
    "random_spec",
    "random_uscc",
    "red_letter_of",
    "render_12306_bundle",
    "render_ofd",
    "render_pdf",
    "render_plain_pdf",
    "render_variant",
    "render_vat_invoice_pdf",
    "render_vat_invoice_xml",
    "render_xbrl",
    "render_zip",
    "split_tax",
    "uscc_with_check_digit",
]
