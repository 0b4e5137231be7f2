"""The font set-ups of real 12306 faces (DOMAIN §4): which Type0 fonts a page declares, and which
text each draws. Every set-up keeps the text in a predefined Chinese CMap in the content stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from railclaim_devkit.synthetic.pdf_writer import PdfDocument, ref

if TYPE_CHECKING:
    from railclaim_devkit.synthetic.pdf import PdfVariant

# `simsun`/`kaiti`/`simhei`: one non-embedded font, as most files; `mixed`: SimHei title, KaiTi
# labels, SimSun values; `dengxian-embedded`: a subset DengXian whose descriptor carries both
# /FontFile2 and /FontFile3 (pypdf's extract_text() raises "More than one /FontFile found").
FontSetup = Literal["simsun", "kaiti", "simhei", "mixed", "dengxian-embedded"]
FONT_SETUPS: tuple[FontSetup, ...] = ("simsun", "kaiti", "simhei", "mixed", "dengxian-embedded")
_SINGLE = {"simsun": "SimSun", "kaiti": "KaiTi", "simhei": "SimHei"}
_MIXED = {"F1": "SimSun", "F2": "SimHei", "F3": "KaiTi"}
_LABEL_ROLES = frozenset(
    {"fare_label", "empty_fee_label", "invoice_number", "issue_date", "e_ticket", "buyer"}
)
# Half-width widths for the proportional (1-95) and half-width (814-907) Latin CIDs of Adobe-GB1.
_WIDTHS = b"[1 95 500 814 907 500]"
# Stand-ins for font programs: the face is read from the content stream, never from the font.
_FONT_PROGRAM = b"\x00\x01\x00\x00 synthetic font program, not a real font\n"


def add_fonts(doc: PdfDocument, variant: PdfVariant) -> dict[str, int]:
    """Font resource name → font object for the page."""
    setup = variant.font_setup
    if setup == "mixed":
        return {key: add_cid_font(doc, variant, name) for key, name in _MIXED.items()}
    if setup == "dengxian-embedded":
        return {"F1": add_cid_font(doc, variant, "DengXian", embedded=True)}
    return {"F1": add_cid_font(doc, variant, _SINGLE[setup])}


def font_for(role: str, setup: FontSetup) -> str:
    """The resource name a block of `role` is drawn in."""
    if setup != "mixed":
        return "F1"
    if role == "title":
        return "F2"
    return "F3" if role in _LABEL_ROLES else "F1"


def add_cid_font(
    doc: PdfDocument, variant: PdfVariant, family: str, *, embedded: bool = False
) -> int:
    """A Type0 font with its CID font and descriptor; no ToUnicode, the CMap is predefined."""
    base = f"ABCDEF+{family}" if embedded else family
    files = b""
    if embedded:
        truetype = doc.add_stream(f"/Length1 {len(_FONT_PROGRAM)}".encode(), _FONT_PROGRAM)
        compact = doc.add_stream(b"/Subtype /CIDFontType0C", _FONT_PROGRAM)
        files = b" /FontFile2 " + ref(truetype) + b" /FontFile3 " + ref(compact)
    descriptor = doc.add(
        f"<< /Type /FontDescriptor /FontName /{base} /Flags 6 /FontBBox [0 -141 1000 859]".encode()
        + b" /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80"
        + files
        + b" >>"
    )
    cid_font = doc.add(
        f"<< /Type /Font /Subtype /{variant.cid_font_subtype} /BaseFont /{base}".encode()
        + b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        + b" /FontDescriptor "
        + ref(descriptor)
        + b" /DW 1000 /W "
        + _WIDTHS
        + b" >>"
    )
    return doc.add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /{variant.encoding}".encode()
        + b" /DescendantFonts ["
        + ref(cid_font)
        + b"] >>"
    )
