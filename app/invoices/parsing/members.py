"""The members of a ZIP bundle, vetted but unparsed, for callers that take them one by one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.invoices.parsing.bundle import is_archive_metadata
from app.invoices.parsing.model import ParseLimits
from app.invoices.parsing.safezip import open_zip, read_member


@dataclass(frozen=True, slots=True)
class BundleMember:
    name: str
    data: bytes


def bundle_members(data: bytes, limits: ParseLimits) -> Iterator[BundleMember]:
    """Every file member in archive order, decompressed one at a time.

    The archive is vetted as a whole before the first member (names, counts, sizes, ratios:
    a ParseError refuses it all); each member's own verdict is left to the caller's parse_file,
    which also applies `max_bytes` to it.
    """
    archive = open_zip(data, limits, "ZIP file")
    for info in archive.infolist():
        if not info.is_dir() and not is_archive_metadata(info.filename):
            yield BundleMember(info.filename, read_member(archive, info, "ZIP file"))
