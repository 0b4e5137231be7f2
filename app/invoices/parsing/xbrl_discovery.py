"""Which embedded file is the issuer's XBRL: decided by its content, never by its file name.

Real refund-fee PDFs name it `0` (DOMAIN §4), so every attachment is a candidate; a cheap look at
the bytes keeps images and signatures from being parsed as XML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.kinds import KINDS, read_xbrl_tree
from app.invoices.parsing.model import InvoiceKind, NotTravelInvoice
from app.invoices.parsing.xbrl import local_name, parse_xml

# A 12306 file embeds one attachment; a file declaring more than this is not searched further.
MAX_ATTACHMENTS = 32
_TAXONOMIES = "|".join(re.escape(rules.taxonomy) for rules in KINDS)
# A known kind's namespace as declared on the root, any taxonomy date.
_DECLARATION = re.compile(
    rf"xbrl\.mof\.gov\.cn/taxonomy/[^/\"'<>\s]+/(?:{_TAXONOMIES})[\"']".encode()
)
_ISSUER_NAME = re.compile(rf"(^|/)(?:{_TAXONOMIES})_issuer[^/]*\.xml$", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def is_issuer_name(name: str) -> bool:
    return bool(_ISSUER_NAME.search(name))


@dataclass(frozen=True, slots=True)
class XbrlInstance:
    """The issuer's XBRL as found: its bytes (kept as a rendition), its kind and its fields,
    parsed once."""

    data: bytes
    kind: InvoiceKind
    fields: InvoiceFields


def read_instance(data: bytes, name: str = "") -> XbrlInstance | None:
    """The file as an XBRL instance (root `xbrl`) with the facts of an issued invoice of a known
    kind, or None when it is something else.

    A file named `<taxonomy>_issuer_*.xml`, or one whose bytes declare a known namespace, is
    parsed, so hostile XML there still refuses the file (as it always did); anything else is
    skipped unread. The fields are handed on, so the chosen instance is never parsed again.
    """
    if not (is_issuer_name(name) or _declares_taxonomy(data)):
        return None
    root = parse_xml(data)
    if local_name(root) != "xbrl":
        return None
    found = read_xbrl_tree(root)
    if found is None or not found[1].issued:
        return None
    return XbrlInstance(data, found[0].kind, found[1].fields)


def read_xml_invoice(data: bytes) -> XbrlInstance:
    """An uploaded XML file: refused unless it holds the facts of a known kind (or is hostile)."""
    found = read_xbrl_tree(parse_xml(data))
    if found is None:
        raise NotTravelInvoice("the XML holds no travel e-invoice data of a known taxonomy")
    return XbrlInstance(data, found[0].kind, found[1].fields)


def _declares_taxonomy(data: bytes) -> bool:
    if data.startswith(_UTF16_BOMS):
        # UTF-16 XML: look at its text (an instance is a few KB; larger ones were skipped).
        text = data.decode("utf-16", errors="ignore").encode("utf-8")
        return bool(_DECLARATION.search(text))
    return bool(_DECLARATION.search(data))
