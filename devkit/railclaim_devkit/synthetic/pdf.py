"""Render an `InvoiceSpec` as a 12306-style PDF: non-embedded SimSun CID font, no ToUnicode, XBRL.

The font dictionaries copy the quirk of real files (DOMAIN §2): Type0 `SimSun`, `/Encoding
/GBK-EUC-H` (or `UniGB-UCS2-H` in files converted from OFD), a descendant CID font with
`Adobe-GB1` system info, no `FontFile*`, no `/ToUnicode` — extractors must decode via the CMap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from railclaim_devkit.synthetic.face_layout import (
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    FaceStyle,
    TextBlock,
    layout_face,
)
from railclaim_devkit.synthetic.pdf_attach import (
    DECOY_NAME,
    DECOY_XML,
    AttachmentPlace,
    PlacedAttachment,
    embedded_filespec,
    place_attachments,
)
from railclaim_devkit.synthetic.pdf_fonts import FontSetup, add_cid_font, add_fonts, font_for
from railclaim_devkit.synthetic.pdf_writer import (
    PdfDocument,
    pdf_literal,
    pdf_text_string,
    ref,
)
from railclaim_devkit.synthetic.qr import MODULES, qr_bitmap, qr_payload
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.xbrl import XbrlOptions, attachment_name, render_xbrl

PT_PER_MM = 72 / 25.4
Encoding = Literal["GBK-EUC-H", "UniGB-UCS2-H"]
_CODECS: dict[str, str] = {"GBK-EUC-H": "gbk", "UniGB-UCS2-H": "utf-16-be"}
# The table frame of the 数电票 face, in millimetres from the top-left: (x, y, width, height).
# The QR code's square, top-left of the face: 18 mm wide, 4 mm from the top, 14 mm from the left.
_QR_X, _QR_TOP, _QR_SIZE = 14.0, 4.0, 18.0
_QR_OPS = (
    f"q {_QR_SIZE * PT_PER_MM:.2f} 0 0 {_QR_SIZE * PT_PER_MM:.2f} {_QR_X * PT_PER_MM:.2f} "
    f"{(PAGE_HEIGHT_MM - _QR_TOP - _QR_SIZE) * PT_PER_MM:.2f} cm /Im1 Do Q\n"
).encode()
_FRAME_MM = ((15.0, 26.0, 180.0, 74.0), (15.0, 26.0, 180.0, 30.0))


@dataclass(frozen=True, slots=True)
class PdfVariant:
    """The ways a real railway invoice PDF may differ; the defaults give the common 12306 file."""

    face: FaceStyle = field(default_factory=FaceStyle)
    with_xbrl: bool = True
    xbrl: XbrlOptions = field(default_factory=XbrlOptions)
    encoding: Encoding = "GBK-EUC-H"
    # The sample declares CIDFontType2 (SimSun is TrueType); some writers emit CIDFontType0.
    cid_font_subtype: Literal["CIDFontType2", "CIDFontType0"] = "CIDFontType2"
    # `Td` positions each block from the origin; `Tm` sets a full text matrix per piece.
    positioning: Literal["Td", "Tm"] = "Td"
    frame: bool = True
    # The QR code as an image XObject, as real faces carry (the parser must step over `Do`).
    qr_code: bool = True
    attachment_name: str | None = None
    # DOMAIN §4: fonts, and where and how the XBRL is attached (`0` comes with no /Subtype).
    font_setup: FontSetup = "simsun"
    attachment_place: AttachmentPlace = "names"
    attachment_subtype: bool = True
    decoy_attachment: bool = False
    # DOMAIN §2: a face converted from OFD keeps its template: the text drawn inside a form
    # XObject (`/Fm1 Do`) with its own font resources, not in the page content itself.
    face_in_form: bool = False


DEFAULT_VARIANT = PdfVariant()


def render_pdf(
    spec: InvoiceSpec, variant: PdfVariant = DEFAULT_VARIANT, *, face: InvoiceSpec | None = None
) -> bytes:
    """The invoice as PDF bytes; the same spec and variant always give the same bytes.

    `face` prints another spec's values on the page while the XBRL keeps `spec`'s: a tampered
    or corrupted file, for face/XBRL cross-check tests.
    """
    attachment = None
    if variant.with_xbrl:
        name = variant.attachment_name or attachment_name(spec)
        attachment = (name, render_xbrl(spec, variant.xbrl))
    printed = face or spec
    return render_face_pdf(
        layout_face(printed, variant.face),
        variant=variant,
        attachment=attachment,
        created_on=spec.issue_date,
        qr=qr_payload(printed) if variant.qr_code else None,
    )


def render_face_pdf(
    blocks: Sequence[TextBlock],
    *,
    variant: PdfVariant = DEFAULT_VARIANT,
    attachment: tuple[str, bytes] | None = None,
    created_on: dt.date,
    title: str = "电子发票（铁路电子客票）",
    qr: str | None = None,
) -> bytes:
    """A one-page 210 x 140 mm PDF drawing `blocks` in SimSun, with an optional embedded file."""
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    fonts = add_fonts(doc, variant)
    image = None if qr is None else add_qr_image(doc, qr)
    ops = content_stream_of(blocks, variant)
    form = None
    if variant.face_in_form:
        form = _add_form(doc, fonts, ops)
        ops = b"q 1 0 0 1 0 0 cm /Fm1 Do Q\n"
    contents = doc.add_stream(b"", ops if image is None else _QR_OPS + ops)
    placed = PlacedAttachment()
    if attachment is not None:
        files = [(DECOY_NAME, DECOY_XML)] if variant.decoy_attachment else []
        placed = place_attachments(
            doc,
            [*files, attachment],
            variant.attachment_place,
            subtype=variant.attachment_subtype,
        )
    doc.put(page, page_body(pages, fonts, contents, image, extra=placed.page, form=form))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + placed.catalog + b" >>")
    stamp = f"D:{created_on:%Y%m%d}000000+08'00'"
    info = doc.add(
        b"<< /Producer (railclaim synthetic generator) /CreationDate "
        + pdf_literal(stamp)
        + b" /Title "
        + pdf_text_string(title)
        + b" >>"
    )
    return doc.build(catalog, info)


def add_simsun_font(doc: PdfDocument, variant: PdfVariant = DEFAULT_VARIANT) -> int:
    """The Type0 SimSun font with its CID font and descriptor, and no font file or ToUnicode."""
    return add_cid_font(doc, variant, "SimSun")


def page_body(
    parent: int,
    font: int | Mapping[str, int],
    contents: int,
    image: int | None = None,
    *,
    extra: bytes = b"",
    form: int | None = None,
) -> bytes:
    """The page dictionary; `font` is the F1 font or every font by resource name."""
    font_entries = _font_entries(font)
    width, height = PAGE_WIDTH_MM * PT_PER_MM, PAGE_HEIGHT_MM * PT_PER_MM
    named = [(b"/Im1 ", image), (b"/Fm1 ", form)]
    drawn = b"".join(key + ref(number) + b" " for key, number in named if number is not None)
    xobjects = b" /XObject << " + drawn + b">>" if drawn else b""
    procs = b"[/PDF /Text]" if image is None else b"[/PDF /Text /ImageB]"
    return (
        b"<< /Type /Page /Parent "
        + ref(parent)
        + f" /MediaBox [0 0 {width:.2f} {height:.2f}]".encode()
        + b" /Resources << /Font << "
        + font_entries
        + b">>"
        + xobjects
        + b" /ProcSet "
        + procs
        + b" >> /Contents "
        + ref(contents)
        + extra
        + b" >>"
    )


def _font_entries(font: int | Mapping[str, int]) -> bytes:
    fonts = {"F1": font} if isinstance(font, int) else font
    return b"".join(f"/{key} ".encode() + ref(number) + b" " for key, number in fonts.items())


def _add_form(doc: PdfDocument, font: int | Mapping[str, int], ops: bytes) -> int:
    """The face's drawing as a form XObject over the whole page, with fonts of its own."""
    width, height = PAGE_WIDTH_MM * PT_PER_MM, PAGE_HEIGHT_MM * PT_PER_MM
    entries = (
        f"/Type /XObject /Subtype /Form /BBox [0 0 {width:.2f} {height:.2f}]".encode()
        + b" /Matrix [1 0 0 1 0 0] /Resources << /Font << "
        + _font_entries(font)
        + b">> >>"
    )
    return doc.add_stream(entries, ops)


def add_qr_image(doc: PdfDocument, payload: str) -> int:
    """The QR bitmap as a 1-bit DeviceGray image XObject."""
    entries = (
        f"/Type /XObject /Subtype /Image /Width {MODULES} /Height {MODULES}"
        " /ColorSpace /DeviceGray /BitsPerComponent 1"
    ).encode()
    return doc.add_stream(entries, qr_bitmap(payload))


def add_attachment(doc: PdfDocument, name: str, data: bytes) -> int:
    """An EmbeddedFiles name tree holding one file; returns the catalog's /Names dictionary."""
    filespec = embedded_filespec(doc, name, data)
    tree = doc.add(b"<< /Names [" + pdf_literal(name) + b" " + ref(filespec) + b"] >>")
    return doc.add(b"<< /EmbeddedFiles " + ref(tree) + b" >>")


def content_stream(spec: InvoiceSpec, variant: PdfVariant = DEFAULT_VARIANT) -> bytes:
    """The invoice page's operators (decompressed), e.g. to compare with a parser's reading."""
    ops = content_stream_of(layout_face(spec, variant.face), variant)
    return _QR_OPS + ops if variant.qr_code else ops


def content_stream_of(blocks: Sequence[TextBlock], variant: PdfVariant = DEFAULT_VARIANT) -> bytes:
    """The frame, then one BT…ET block per text block in drawing order."""
    parts = [_frame_ops()] if variant.frame else []
    parts += [_text_block_ops(block, variant) for block in blocks]
    return b"".join(parts)


def _frame_ops() -> bytes:
    ops = [b"q 0.5 w 0.55 0.27 0.07 RG"]
    for x, y, w, h in _FRAME_MM:
        bottom = (PAGE_HEIGHT_MM - y - h) * PT_PER_MM
        left, width, height = x * PT_PER_MM, w * PT_PER_MM, h * PT_PER_MM
        ops.append(f"{left:.2f} {bottom:.2f} {width:.2f} {height:.2f} re S".encode())
    ops.append(b"Q\n")
    return b"\n".join(ops)


def _text_block_ops(block: TextBlock, variant: PdfVariant) -> bytes:
    codec = _CODECS[variant.encoding]
    font = font_for(block.role, variant.font_setup)
    ops = [b"BT", f"/{font} {block.size * PT_PER_MM:.2f} Tf".encode()]
    if block.red:
        ops.append(b"1 0 0 rg")  # black, the default fill, needs no operator
    previous: tuple[float, float] = (0.0, 0.0)
    for piece in block.pieces:
        x, y = piece.x * PT_PER_MM, (PAGE_HEIGHT_MM - piece.y) * PT_PER_MM
        if variant.positioning == "Tm":
            ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm".encode())
        else:
            # Td moves relative to the start of the previous line, so later pieces step from it.
            ops.append(f"{x - previous[0]:.2f} {y - previous[1]:.2f} Td".encode())
            previous = (x, y)
        ops.append(b"<" + piece.text.encode(codec).hex().upper().encode() + b"> Tj")
    ops.append(b"ET\n")
    return b"\n".join(ops)
