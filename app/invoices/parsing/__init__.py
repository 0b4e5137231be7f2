"""The pure parsing core: railway e-invoice files (PDF, OFD, XBRL, ZIP) in, verified records out.

Imports only the standard library, pypdf and defusedxml, so every other layer may depend on it.
"""

from app.invoices.parsing.entry import DEFAULT_LIMITS, parse_file
from app.invoices.parsing.model import (
    BusinessType,
    EncryptedFile,
    Finding,
    NotRailwayInvoice,
    ParsedInvoice,
    ParseError,
    ParseLimits,
    Rendition,
    RenditionKind,
    Source,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
)

__all__ = [
    "DEFAULT_LIMITS",
    "BusinessType",
    "EncryptedFile",
    "Finding",
    "NotRailwayInvoice",
    "ParseError",
    "ParseLimits",
    "ParsedInvoice",
    "Rendition",
    "RenditionKind",
    "Source",
    "TooLarge",
    "UnreadableFile",
    "UnsupportedFormat",
    "parse_file",
]
