"""What real 12306 files do (DOMAIN §2 and §4), one named variant each, as PDF or OFD.

Each variant is one reported deviation from the common file, so a failure names its cause;
`everything` combines them. Business-type markers (退票, 差额退票, 始发改签) come from the spec
(`InvoiceSpec.face_marker`), so every variant shows them on the kinds that carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from railclaim_devkit.synthetic.face_layout import FaceStyle
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.pdf import Encoding, PdfVariant, render_pdf
from railclaim_devkit.synthetic.pdf_attach import AttachmentPlace
from railclaim_devkit.synthetic.pdf_fonts import FontSetup
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.xbrl import XbrlOptions

Rendition = Literal["pdf", "ofd"]
# The OFD stand-in for a PDF font set-up: the font its PublicRes names.
OFD_FONTS: dict[FontSetup, str] = {
    "simsun": "SimSun",
    "kaiti": "KaiTi",
    "simhei": "SimHei",
    "mixed": "SimHei",
    "dengxian-embedded": "DengXian",
}


@dataclass(frozen=True, slots=True)
class RealVariant:
    """How one reported file differs from the common one; each rendition shows what it can."""

    face: FaceStyle = field(default_factory=FaceStyle)
    xbrl: XbrlOptions = field(default_factory=XbrlOptions)
    font_setup: FontSetup = "simsun"
    encoding: Encoding = "GBK-EUC-H"
    # None: `rai_issuer_<发票号码>.xml`.
    attachment_name: str | None = None
    attachment_place: AttachmentPlace = "names"
    attachment_subtype: bool = True
    decoy_attachment: bool = False
    # OFD: the XBRL listed in `Attachments.xml`, or only present under `Attachs/`.
    ofd_declared: bool = True

    def pdf_variant(self, *, with_xbrl: bool) -> PdfVariant:
        return PdfVariant(
            face=self.face,
            with_xbrl=with_xbrl,
            xbrl=self.xbrl,
            encoding=self.encoding,
            attachment_name=self.attachment_name,
            font_setup=self.font_setup,
            attachment_place=self.attachment_place,
            attachment_subtype=self.attachment_subtype,
            decoy_attachment=self.decoy_attachment,
        )


_EVERY_FACE_QUIRK = FaceStyle(
    order="scrambled",
    fullwidth_colons=True,
    station_glyph="separate",
    empty_fee_label=True,
    amount_before_label=True,
    id_after_amount=True,
    seal_interleaved=True,
    fullwidth_text=True,
    label_spacing="spaced",
)
_REPORTED_XBRL = XbrlOptions(extra_elements=True, issue_party_nil=True)

REAL_VARIANTS: dict[str, RealVariant] = {
    "common": RealVariant(),
    # Font set-ups (§4): non-embedded KaiTi/SimHei, several fonts on one face, embedded DengXian
    # with /FontFile2 and /FontFile3; files converted from OFD use UniGB-UCS2-H (§2).
    "font-kaiti": RealVariant(font_setup="kaiti"),
    "font-simhei": RealVariant(font_setup="simhei"),
    "font-mixed": RealVariant(font_setup="mixed"),
    "font-dengxian-two-fontfiles": RealVariant(font_setup="dengxian-embedded"),
    "font-ucs2-converted": RealVariant(encoding="UniGB-UCS2-H"),
    # Attachments (§4): named `0` without /Subtype, declared outside the name tree, beside an
    # unrelated XML, or (OFD) present under Attachs/ without being declared.
    "attachment-named-0": RealVariant(attachment_name="0", attachment_subtype=False),
    "attachment-catalog-af": RealVariant(attachment_place="catalog-af"),
    "attachment-page-af": RealVariant(attachment_place="page-af", attachment_name="1.xml"),
    "attachment-annotation": RealVariant(attachment_place="annotation"),
    "attachment-decoy-first": RealVariant(decoy_attachment=True, attachment_name="data.xml"),
    "attachment-undeclared": RealVariant(attachment_name="0", ofd_declared=False),
    # Drawing orders (§4) and empty labels on sales.
    "amount-before-label": RealVariant(face=FaceStyle(amount_before_label=True)),
    "id-after-amount": RealVariant(face=FaceStyle(id_after_amount=True)),
    "seal-interleaved": RealVariant(face=FaceStyle(seal_interleaved=True)),
    "empty-fee-label": RealVariant(face=FaceStyle(empty_fee_label=True)),
    "empty-fee-label-own-line": RealVariant(
        face=FaceStyle(empty_fee_label=True, fare_own_line=True)
    ),
    # XBRL elements parsers of real files report, IssueParty xsi:nil (§4); a later taxonomy.
    "xbrl-extra-elements": RealVariant(xbrl=_REPORTED_XBRL),
    "xbrl-later-taxonomy": RealVariant(
        xbrl=XbrlOptions(taxonomy_date="2025-05-19", empty_elements=False, comment=False)
    ),
    # Reported extractions (§2): full-width text, label spacing, extraction order.
    "fullwidth-text": RealVariant(face=FaceStyle(fullwidth_text=True, fullwidth_colons=True)),
    "label-spaced": RealVariant(face=FaceStyle(label_spacing="spaced")),
    "label-no-colon": RealVariant(face=FaceStyle(label_spacing="no-colon")),
    "scrambled-order": RealVariant(face=FaceStyle(order="scrambled", station_glyph="separate")),
    "fare-own-line": RealVariant(face=FaceStyle(fare_own_line=True)),
    "everything": RealVariant(
        face=_EVERY_FACE_QUIRK,
        xbrl=_REPORTED_XBRL,
        font_setup="dengxian-embedded",
        attachment_name="0",
        attachment_subtype=False,
        attachment_place="page-af",
        decoy_attachment=True,
        ofd_declared=False,
    ),
}
REAL_VARIANT_NAMES: tuple[str, ...] = tuple(REAL_VARIANTS)
# Variants that differ from `common` only in how the XBRL is attached or written.
XBRL_ONLY_VARIANTS: frozenset[str] = frozenset(
    name for name in REAL_VARIANT_NAMES if name.startswith(("attachment-", "xbrl-"))
)


def render_real(
    spec: InvoiceSpec, variant: str | RealVariant, rendition: Rendition, *, with_xbrl: bool = True
) -> bytes:
    """`spec` as the named variant's PDF or OFD, with or without its XBRL."""
    real = REAL_VARIANTS[variant] if isinstance(variant, str) else variant
    if rendition == "pdf":
        return render_pdf(spec, real.pdf_variant(with_xbrl=with_xbrl))
    return render_ofd(
        spec,
        style=real.face,
        with_xbrl=with_xbrl,
        xbrl=real.xbrl,
        attachment=real.attachment_name,
        declare_attachment=real.ofd_declared,
        decoy_attachment=real.decoy_attachment,
        font_name=OFD_FONTS[real.font_setup],
    )
