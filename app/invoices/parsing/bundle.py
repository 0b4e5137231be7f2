"""12306-style ZIP bundles: expand PDF/OFD/XML members, refusing the whole archive if one fails."""

from __future__ import annotations

from collections.abc import Callable

from app.invoices.parsing.detect import FileKind, detect_kind
from app.invoices.parsing.merge import merge_renditions
from app.invoices.parsing.model import (
    ParsedInvoice,
    ParseError,
    ParseLimits,
    TooLarge,
    UnreadableFile,
)
from app.invoices.parsing.safezip import open_zip, read_member

ParseMember = Callable[[bytes, str, FileKind], ParsedInvoice]
# Archive tools add these beside the real content; they are not invoices and not errors.
_METADATA_PREFIXES = ("__macosx/",)
_METADATA_NAMES = (".ds_store", "thumbs.db", "desktop.ini")

NO_INVOICE_IN_ZIP = "the ZIP file holds no invoice"


def read_bundle(data: bytes, limits: ParseLimits, parse_member: ParseMember) -> list[ParsedInvoice]:
    """Parse each member in order (one bundle level only) and merge renditions of one invoice."""
    archive = open_zip(data, limits, "ZIP file")
    parsed: list[ParsedInvoice] = []
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or is_archive_metadata(name):
            continue
        try:
            if info.file_size > limits.max_bytes:
                raise TooLarge(f"the member is larger than {limits.max_bytes} bytes")
            member = read_member(archive, info, "ZIP file")
            kind = detect_kind(member)
            if kind == "zip":
                raise UnreadableFile("a ZIP inside a ZIP is not read (one level only)")
            parsed.append(parse_member(member, name, kind))
        except ParseError as exc:
            exc.member = exc.member or name
            raise
    if not parsed:
        raise UnreadableFile(NO_INVOICE_IN_ZIP)
    return merge_renditions(parsed)


def is_archive_metadata(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(_METADATA_PREFIXES) or lowered.rsplit("/", 1)[-1] in _METADATA_NAMES
