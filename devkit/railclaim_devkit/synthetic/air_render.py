"""Render an `AirInvoiceSpec` as PDF or OFD with the railway machinery: same fonts, encodings,
attachment places and OFD package; only the face layout, the XBRL and the QR type differ."""

from __future__ import annotations

from railclaim_devkit.synthetic.air_face import DEFAULT_AIR_FACE, AirFaceOptions, layout_air_face
from railclaim_devkit.synthetic.air_spec import AIR_TITLE, AirInvoiceSpec
from railclaim_devkit.synthetic.air_xbrl import (
    DEFAULT_AIR_XBRL,
    AirXbrlOptions,
    air_attachment_name,
    render_air_xbrl,
)
from railclaim_devkit.synthetic.face_layout import DEFAULT_STYLE, FaceStyle
from railclaim_devkit.synthetic.ofd import render_ofd_package
from railclaim_devkit.synthetic.pdf import DEFAULT_VARIANT, PdfVariant, render_face_pdf
from railclaim_devkit.synthetic.qr import qr_text

# The 数电票 type code of the air e-itinerary in its QR payload (railway: 51); unconfirmed.
AIR_QR_TYPE = "61"


def render_air_pdf(
    spec: AirInvoiceSpec,
    variant: PdfVariant = DEFAULT_VARIANT,
    *,
    xbrl: AirXbrlOptions = DEFAULT_AIR_XBRL,
    face: AirInvoiceSpec | None = None,
    extra_columns: bool = False,
    air_face: AirFaceOptions = DEFAULT_AIR_FACE,
) -> bytes:
    """The itinerary as PDF bytes; the same arguments always give the same bytes.

    `variant` is the railway `PdfVariant` (face style, fonts, encoding, attachment place and
    name, `with_xbrl=False` for a face-only file); its `xbrl` options are the railway ones and
    are ignored here: `xbrl` shapes the air instance. `face` prints another spec's values while
    the XBRL keeps `spec`'s (a tampered file, for the face-XBRL cross-check). `extra_columns`
    prints the paper itinerary's 客票级别 and 免费行李 columns after 时间; `air_face` the air-only
    face shapes (chained flight table, currency marks, zero-rate wording).
    """
    attachment = None
    if variant.with_xbrl:
        name = variant.attachment_name or air_attachment_name(spec)
        attachment = (name, render_air_xbrl(spec, xbrl))
    printed = face or spec
    return render_face_pdf(
        layout_air_face(printed, variant.face, extra_columns=extra_columns, options=air_face),
        variant=variant,
        attachment=attachment,
        created_on=spec.issue_date,
        title=AIR_TITLE,
        qr=air_qr_payload(printed) if variant.qr_code else None,
    )


def render_air_ofd(
    spec: AirInvoiceSpec,
    *,
    style: FaceStyle = DEFAULT_STYLE,
    with_xbrl: bool = True,
    xbrl: AirXbrlOptions = DEFAULT_AIR_XBRL,
    face: AirInvoiceSpec | None = None,
    attachment: str | None = None,
    declare_attachment: bool = True,
    decoy_attachment: bool = False,
    font_name: str = "SimSun",
    extra_columns: bool = False,
    air_face: AirFaceOptions = DEFAULT_AIR_FACE,
) -> bytes:
    """The itinerary as an OFD zip, the XBRL under `Doc_0/Attachs/` (options as `render_ofd`
    and `render_air_pdf`)."""
    name = attachment or air_attachment_name(spec)
    return render_ofd_package(
        spec.invoice_number,
        spec.issue_date,
        layout_air_face(face or spec, style, extra_columns=extra_columns, options=air_face),
        attachment=(name, render_air_xbrl(spec, xbrl)) if with_xbrl else None,
        declare_attachment=declare_attachment,
        decoy_attachment=decoy_attachment,
        font_name=font_name,
    )


def air_qr_payload(spec: AirInvoiceSpec) -> str:
    """`01,61,,<发票号码>,<合计>,<YYYYMMDD>,,<4 hex>` (type code and amount unconfirmed)."""
    return qr_text(AIR_QR_TYPE, spec.invoice_number, spec.total_amount, spec.issue_date)
