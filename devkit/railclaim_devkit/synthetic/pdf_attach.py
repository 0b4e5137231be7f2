"""Where a PDF declares its embedded XBRL, and under which name (DOMAIN §4: not always
`rai_issuer_*.xml`; refund-fee files name it `0`, with no /Subtype)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from railclaim_devkit.synthetic.pdf_writer import PdfDocument, pdf_literal, ref, stream_body

# ISO 32000-2 7.11: the EmbeddedFiles name tree, the catalog's or a page's /AF (associated
# files) array, or a FileAttachment annotation on the page.
AttachmentPlace = Literal["names", "catalog-af", "page-af", "annotation"]
ATTACHMENT_PLACES: tuple[AttachmentPlace, ...] = ("names", "catalog-af", "page-af", "annotation")
# An unrelated XML a file may embed besides the XBRL (listed first, so a reader must look inside).
DECOY_NAME = "signature.xml"
DECOY_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<Signature><Value>0</Value></Signature>\n'


@dataclass(frozen=True, slots=True)
class PlacedAttachment:
    """Entries to add to the catalog and to the page dictionary."""

    catalog: bytes = b""
    page: bytes = b""


def place_attachments(
    doc: PdfDocument,
    files: list[tuple[str, bytes]],
    place: AttachmentPlace = "names",
    *,
    subtype: bool = True,
) -> PlacedAttachment:
    specs = [(name, embedded_filespec(doc, name, data, subtype=subtype)) for name, data in files]
    refs = b" ".join(ref(number) for _, number in specs)
    if place == "names":
        pairs = b" ".join(pdf_literal(name) + b" " + ref(number) for name, number in specs)
        tree = doc.add(b"<< /Names [" + pairs + b"] >>")
        names = doc.add(b"<< /EmbeddedFiles " + ref(tree) + b" >>")
        return PlacedAttachment(catalog=b" /Names " + ref(names))
    if place == "catalog-af":
        return PlacedAttachment(catalog=b" /AF [" + refs + b"]")
    if place == "page-af":
        return PlacedAttachment(page=b" /AF [" + refs + b"]")
    annotations = [
        doc.add(
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [560 10 570 20] /F 2 /FS "
            + ref(number)
            + b" >>"
        )
        for _, number in specs
    ]
    return PlacedAttachment(page=b" /Annots [" + b" ".join(ref(a) for a in annotations) + b"]")


def embedded_filespec(doc: PdfDocument, name: str, data: bytes, *, subtype: bool = True) -> int:
    entries = b"/Type /EmbeddedFile" + (b" /Subtype /text#2Fxml" if subtype else b"")
    stream = doc.add(
        stream_body(entries + b" /Params << /Size " + str(len(data)).encode() + b" >>", data)
    )
    return doc.add(
        b"<< /Type /Filespec /F "
        + pdf_literal(name)
        + b" /UF "
        + pdf_literal(name)
        + b" /EF << /F "
        + ref(stream)
        + b" >> >>"
    )
