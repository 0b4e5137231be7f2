"""Which embedded file is the issuer's XBRL: decided by its content, never by its file name.

Real refund-fee PDFs name it `0` (DOMAIN §4), so every attachment is a candidate; a cheap look at
the bytes keeps images and signatures from being parsed as XML at all.
"""

from __future__ import annotations

import re

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


def is_rai_instance(data: bytes, name: str = "") -> bool:
    """An XBRL instance (root `xbrl`) carrying the railway `rai` facts of an issued invoice.

    A file named `rai_issuer_*.xml`, or one whose bytes declare the namespace, is parsed, so
    hostile XML there still refuses the file (as it always did); anything else is skipped unread.
    """
    if not (is_issuer_name(name) or _declares_rai(data)):
        return False
    root = parse_xml(data)
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "xbrl":
        return False
    return _ISSUER_FACT in rai_facts_of(root)


def _declares_rai(data: bytes) -> bool:
    if data.startswith(_UTF16_BOMS):
        # UTF-16 XML: look at its text (an instance is a few KB; larger ones were skipped).
        text = data.decode("utf-16", errors="ignore").encode("utf-8")
        return bool(_RAI_DECLARATION.search(text))
    return bool(_RAI_DECLARATION.search(data))
