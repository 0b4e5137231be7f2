"""A travel e-invoice PDF: its embedded XBRL and its face, read from pypdf's decoded streams."""

from __future__ import annotations

from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.extraction import Extraction
from app.invoices.parsing.kind_rules import FaceReading
from app.invoices.parsing.kinds import read_face_fields
from app.invoices.parsing.layout import TextRun, group_lines
from app.invoices.parsing.model import (
    Finding,
    InvoiceKind,
    ParseLimits,
    UnreadableFile,
    extra_pages,
)
from app.invoices.parsing.pdf_doc import extract_runs_with_pypdf, read_pdf_parts
from app.invoices.parsing.pdf_face import read_face


def read_pdf(
    data: bytes, limits: ParseLimits, deadline: Deadline, *, want_face: bool
) -> Extraction:
    parts = read_pdf_parts(data, limits, deadline, want_face=want_face)
    xbrl = parts.xbrl
    if xbrl is not None and not want_face:
        return Extraction("pdf", xbrl, None)
    reading = read_face(parts.content, parts.fonts, deadline, parts.forms)
    runs = reading.runs
    findings = [parts.unused_xbrl.finding()] if parts.unused_xbrl is not None else []
    findings += extra_pages(parts.page_count)
    if reading.undecodable_text or not runs:
        # Fonts outside the Chinese CMaps (a ToUnicode map, a standard font): pypdf decodes them.
        deadline.check()  # pypdf's extractor cannot be interrupted: only start it within time
        try:
            runs = extract_runs_with_pypdf(data, limits)
        except UnreadableFile as exc:
            # pypdf refuses some font dictionaries (two FontFile entries): the XBRL, or the text
            # this reader did decode, still stands; without either there is nothing to read.
            if xbrl is None and not runs:
                raise UnreadableFile(f"the face's fonts cannot be decoded: {exc.message}") from exc
            message = f"part of the face could not be decoded (unusual fonts): {exc.message[:200]}"
            findings.append(Finding("face-font-unreadable", message))
    deadline.check()
    if not runs and all(f.code != "face-font-unreadable" for f in findings):
        # Text this reader cannot place (outlines, an image of the face): nothing to compare
        # the XBRL with, and a face altered that way must not pass as one that agrees.
        findings.append(
            Finding("face-not-read", "the face carries no text to compare with the XBRL")
        )
    face = _face(runs, xbrl.kind if xbrl is not None else None) if runs else None
    return Extraction("pdf", xbrl, face, tuple(findings))


def _face(runs: list[TextRun], kind: InvoiceKind | None) -> FaceReading:
    return read_face_fields(group_lines(runs), kind)
