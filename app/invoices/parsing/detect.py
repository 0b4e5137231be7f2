"""What a file is, by its bytes (magic numbers; for ZIPs their directory), never by its name."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from app.invoices.parsing.model import UnreadableFile, UnsupportedFormat
from app.invoices.parsing.safezip import zip_boundary

FileKind = Literal["pdf", "ofd", "xml", "zip"]

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_XML_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# PDF readers accept junk before the header within the first KiB; so do we.
_PDF_HEADER_WINDOW = 1024


def detect_kind(data: bytes) -> FileKind:
    if not data:
        raise UnreadableFile("the file is empty")
    # ZIP first: a stored (uncompressed) PDF member puts `%PDF-` near the start of its archive.
    if data.startswith(_ZIP_MAGICS):
        return "ofd" if _is_ofd(data) else "zip"
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    if _looks_like_xml(data):
        return "xml"
    raise UnsupportedFormat("the file is neither PDF, OFD, XML nor ZIP")


def _is_ofd(data: bytes) -> bool:
    """An OFD package is a ZIP whose root holds `OFD.xml` (GB/T 33190)."""
    with zip_boundary("ZIP file"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return any(name.lstrip("/").lower() == "ofd.xml" for name in names)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:64]
    if head.startswith(_XML_BOMS[1:]):
        return True  # UTF-16 XML: the BOM is the only cheap tell
    if head.startswith(_XML_BOMS[0]):
        head = head[len(_XML_BOMS[0]) :]
    return head.lstrip().startswith(b"<")
