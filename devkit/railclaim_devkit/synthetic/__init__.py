"""Deterministic synthetic railway e-invoices and air e-itineraries (PDF, OFD, XBRL, ZIP) for
tests, benchmarks and demos.

Pure: stdlib and pypdf only. Typical use::

    rng = random.Random(7)
    spec = random_spec(rng)
    pdf = render_pdf(spec, PdfVariant(face=FaceStyle(order="scrambled")))
    assert parse_file(pdf)[0].fare == spec.fare
    flight = random_air_spec(rng, segment_count=2)
    pdf = render_air_pdf(flight, PdfVariant(with_xbrl=False))  # the face only
"""

from railclaim_devkit.synthetic.air_builder import (
    air_fee_itinerary_for,
    air_red_letter_of,
    domain_sample_air_spec,
    random_air_spec,
)
from railclaim_devkit.synthetic.air_corpus import (
    AIR_VARIANTS,
    AirCorpusFile,
    MixedZip,
    generate_air_corpus,
    generate_mixed_zips,
    render_air_variant,
)
from railclaim_devkit.synthetic.air_face import AirFaceOptions, layout_air_face
from railclaim_devkit.synthetic.air_render import render_air_ofd, render_air_pdf
from railclaim_devkit.synthetic.air_spec import AIR_TAX_RATE, AirInvoiceSpec, AirSegment
from railclaim_devkit.synthetic.air_variants import (
    AIR_REAL_VARIANT_NAMES,
    AIR_REAL_VARIANTS,
    AIR_XBRL_ONLY_VARIANTS,
    AirRealVariant,
    render_air_real,
)
from railclaim_devkit.synthetic.air_xbrl import AirXbrlOptions, air_attachment_name, render_air_xbrl
from railclaim_devkit.synthetic.builder import (
    fee_invoice_for,
    random_company_name,
    random_person_name,
    random_spec,
    red_letter_of,
)
from railclaim_devkit.synthetic.bundle import bundle_members, render_12306_bundle, render_rendition
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
    "AIR_REAL_VARIANTS",
    "AIR_REAL_VARIANT_NAMES",
    "AIR_TAX_RATE",
    "AIR_VARIANTS",
    "AIR_XBRL_ONLY_VARIANTS",
    "FACE_FIELDS",
    "PARSED_FIELDS",
    "PDF_VARIANTS",
    "VARIANT_NAMES",
    "AirCorpusFile",
    "AirFaceOptions",
    "AirInvoiceSpec",
    "AirRealVariant",
    "AirSegment",
    "AirXbrlOptions",
    "BusinessType",
    "CorpusFile",
    "FaceStyle",
    "HostileFile",
    "InvoiceSpec",
    "MixedZip",
    "PdfVariant",
    "XbrlOptions",
    "air_attachment_name",
    "air_fee_itinerary_for",
    "air_red_letter_of",
    "bundle_members",
    "domain_sample_air_spec",
    "fee_invoice_for",
    "generate_air_corpus",
    "generate_corpus",
    "generate_mixed_zips",
    "hostile_files",
    "invoice_number",
    "is_valid_uscc",
    "layout_air_face",
    "layout_face",
    "masked_id_number",
    "random_air_spec",
    "random_company_name",
    "random_person_name",
    "random_spec",
    "random_uscc",
    "red_letter_of",
    "render_12306_bundle",
    "render_air_ofd",
    "render_air_pdf",
    "render_air_real",
    "render_air_variant",
    "render_air_xbrl",
    "render_ofd",
    "render_pdf",
    "render_plain_pdf",
    "render_rendition",
    "render_variant",
    "render_vat_invoice_pdf",
    "render_vat_invoice_xml",
    "render_xbrl",
    "render_zip",
    "split_tax",
    "uscc_with_check_digit",
]
