"""What one rendition yielded before checks: its XBRL instance and its face, each optional."""

from __future__ import annotations

from dataclasses import dataclass

from app.invoices.parsing.kind_rules import FaceReading
from app.invoices.parsing.model import Finding, RenditionKind
from app.invoices.parsing.xbrl_discovery import XbrlInstance


@dataclass(frozen=True, slots=True)
class Extraction:
    """One file's readings; `face` is None when not read (XBRL-only) or absent (plain XML)."""

    kind: RenditionKind
    xbrl: XbrlInstance | None
    face: FaceReading | None
    # What reading the file noticed on the way (a face font that could not be decoded, ...).
    findings: tuple[Finding, ...] = ()
