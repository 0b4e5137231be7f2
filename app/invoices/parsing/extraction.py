"""What one rendition yielded before checks: its XBRL facts and its face, each possibly absent."""

from __future__ import annotations

from dataclasses import dataclass

from app.invoices.parsing.face_fields import FaceReading
from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.model import Finding, RenditionKind


@dataclass(frozen=True, slots=True)
class Extraction:
    """One file's readings; `face` is None when not read (XBRL-only) or absent (plain XML)."""

    kind: RenditionKind
    xbrl: bytes | None
    xbrl_fields: InvoiceFields | None
    face: FaceReading | None
    # What reading the file noticed on the way (a face font that could not be decoded, ...).
    findings: tuple[Finding, ...] = ()
