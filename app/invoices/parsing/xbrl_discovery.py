"""Which embedded file is the issuer's XBRL: decided by its content, never by its file name.

Real refund-fee PDFs name it `0` (DOMAIN §4), so every attachment is a candidate; a cheap look at
the bytes keeps images and signatures from being parsed as XML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.invoices.parsing.xbrl import parse_xml, rai_facts_of

# A 12306 file embeds one attachment; a file declaring more than this is not searched further.
MAX_ATTACHMENTS = 32
# The rai namespace as declared on the root, any taxonomy date.
_RAI_DECLARATION = re.compile(rb"xbrl\.mof\.gov\.cn/taxonomy/[^/\"'<>\s]+/rai[\"']")
_ISSUER_NAME = re.compile(r"(^|/)rai_issuer[^/]*\.xml$", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The one fact an issuer's railway instance always has (a receiver's file has its own).
_ISSUER_FACT = "ElectronicInvoiceRailwayETicketNumber"


def is_issuer_name(name: str) -> bool:
    return bool(_ISSUER_NAME.search(name))


@dataclass(frozen=True, slots=True)
class RaiInstance:
    """The issuer's XBRL as found: its bytes (kept as a rendition) and its facts, parsed once."""

    data: bytes
    facts: dict[str, str]


def read_rai_instance(data: bytes, name: str = "") -> RaiInstance | None:
    """The file as an XBRL instance (root `xbrl`) with the railway `rai` facts of an issued
    invoice, or None when it is something else.

    A file named `rai_issuer_*.xml`, or one whose bytes declare the namespace, is parsed, so
    hostile XML there still refuses the file (as it always did); anything else is skipped unread.
    The facts are handed on, so the chosen instance is never parsed a second time.
    """
    if not (is_issuer_name(name) or _declares_rai(data)):
        return None
    root = parse_xml(data)
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "xbrl":
        return None
    facts = rai_facts_of(root)
    return RaiInstance(data, facts) if _ISSUER_FACT in facts else None


def _declares_rai(data: bytes) -> bool:
    if data.startswith(_UTF16_BOMS):
        # UTF-16 XML: look at its text (an instance is a few KB; larger ones were skipped).
        text = data.decode("utf-16", errors="ignore").encode("utf-8")
        return bool(_RAI_DECLARATION.search(text))
    return bool(_RAI_DECLARATION.search(data))
