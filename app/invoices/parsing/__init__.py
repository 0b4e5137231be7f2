"""The pure parsing core: travel e-invoice files (PDF, OFD, XBRL, ZIP) in, verified records out.

Imports only the standard library, pypdf and defusedxml, so every other layer may depend on it.
"""

from app.invoices.parsing.detect import FileKind, detect_kind
from app.invoices.parsing.entry import DEFAULT_LIMITS, parse_file
from app.invoices.parsing.members import BundleMember, bundle_members
from app.invoices.parsing.model import (
    BusinessType,
    EncryptedFile,
    Finding,
    NotTravelInvoice,
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
    "BundleMember",
    "BusinessType",
    "EncryptedFile",
    "FileKind",
    "Finding",
    "NotTravelInvoice",
    "ParseError",
    "ParseLimits",
    "ParsedInvoice",
    "Rendition",
    "RenditionKind",
    "Source",
    "TooLarge",
    "UnreadableFile",
    "UnsupportedFormat",
    "bundle_members",
    "detect_kind",
    "parse_file",
]
