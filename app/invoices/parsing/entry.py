"""`parse_file`: bytes in, parsed travel e-invoices out, or a typed refusal."""

from __future__ import annotations

import logging

from app.invoices.parsing.assemble import assemble, make_rendition
from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.bundle import read_bundle
from app.invoices.parsing.detect import FileKind, detect_kind
from app.invoices.parsing.extraction import Extraction
from app.invoices.parsing.model import (
    ParsedInvoice,
    ParseError,
    ParseLimits,
    TooLarge,
    UnreadableFile,
)
from app.invoices.parsing.ofd import read_ofd
from app.invoices.parsing.pdf import read_pdf
from app.invoices.parsing.xbrl_discovery import read_xml_invoice

DEFAULT_LIMITS = ParseLimits()

_log = logging.getLogger(__name__)


def parse_file(
    data: bytes,
    filename: str = "",
    *,
    limits: ParseLimits = DEFAULT_LIMITS,
    cross_check: bool = True,
) -> list[ParsedInvoice]:
    """Parse a PDF, OFD, XBRL or ZIP bundle into one entry per distinct invoice.

    `cross_check=False` reads only the embedded XBRL when there is one (the face is still read
    when there is none); the default also reads the face and reports where it disagrees.
    Raises a `ParseError` subclass when the file, or any member of a bundle, cannot be taken.
    """
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the file has {len(data)} bytes (limit {limits.max_bytes})")
    kind = detect_kind(data)
    if kind == "zip":

        def parse_member(member: bytes, name: str, member_kind: FileKind) -> ParsedInvoice:
            return _parse_single(member, name, member_kind, limits, cross_check)

        return read_bundle(data, limits, parse_member)
    return [_parse_single(data, filename, kind, limits, cross_check)]


def _parse_single(
    data: bytes, filename: str, kind: FileKind, limits: ParseLimits, cross_check: bool
) -> ParsedInvoice:
    # Each file (each bundle member) gets its own budget: a bundle is bounded by its member count.
    deadline = Deadline(limits.time_budget_seconds)
    try:
        extraction = _extract(data, kind, limits, deadline, cross_check)
        return assemble(extraction, make_rendition(extraction, data, filename))
    except ParseError:
        raise
    # The last line of defence: a file the readers did not foresee is refused, never a 500 (and
    # never the end of a batch's other members). Logged in full, for it names a reader's gap.
    except Exception as exc:
        _log.exception("unforeseen failure reading a %s file", kind)
        raise UnreadableFile(f"the {kind.upper()} file cannot be read") from exc


def _extract(
    data: bytes, kind: FileKind, limits: ParseLimits, deadline: Deadline, cross_check: bool
) -> Extraction:
    if kind == "pdf":
        return read_pdf(data, limits, deadline, want_face=cross_check)
    if kind == "ofd":
        return read_ofd(data, limits, deadline, want_face=cross_check)
    if len(data) > limits.xml_limit:
        # A parsed XML tree costs many times its size; an XBRL instance is a few KB.
        raise TooLarge(f"the XML has {len(data)} bytes (limit {limits.xml_limit})")
    return Extraction("xml", read_xml_invoice(data), None)
