"""Which embedded file is the issuer's XBRL: decided by its content, never by its file name.

Real refund-fee PDFs name it `0` (DOMAIN §4), so every attachment is a candidate; a cheap look at
the bytes keeps images and signatures from being parsed as XML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.kinds import KINDS, read_xbrl_tree
from app.invoices.parsing.model import Finding, InvoiceKind, NotTravelInvoice
from app.invoices.parsing.xbrl import local_name, parse_xml, split_tag

# A 12306 file embeds one attachment; a file declaring more than this is not searched further.
MAX_ATTACHMENTS = 32
_TAXONOMIES = "|".join(re.escape(rules.taxonomy) for rules in KINDS)
# A 财政部 taxonomy's namespace as declared on the root, any date and any taxonomy name: a
# kind's name is unconfirmed (air), so the facts decide, not the name.
_DECLARATION = re.compile(rb"xbrl\.mof\.gov\.cn/taxonomy/[^/\"'<>\s]+/[A-Za-z0-9_]+[\"']")
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


@dataclass(frozen=True, slots=True)
class UnusedXbrl:
    """An attachment that is an XBRL instance, yet states no issued invoice of a known kind (an
    unknown taxonomy, names not recognised): the file is read from its face, and says so."""

    name: str
    namespaces: tuple[str, ...]

    def finding(self) -> Finding:
        where = f" ({self.name})" if self.name else ""
        spaces = ", ".join(self.namespaces[:3]) or "no namespace"
        message = (
            f"an attached XBRL instance{where} was not used: it states no invoice of a known "
            f"kind (namespaces: {spaces}); the fields were read from the face"
        )
        return Finding("xbrl-unrecognised", message)


def read_instance(data: bytes, name: str = "") -> XbrlInstance | UnusedXbrl | None:
    """The file as an XBRL instance (root `xbrl`) with the facts of an issued invoice of a known
    kind; `UnusedXbrl` for an instance without them; None when it is something else.

    A file named `<taxonomy>_issuer_*.xml`, or one whose bytes declare a 财政部 namespace, is
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
        return UnusedXbrl(name, _namespaces(root))
    return XbrlInstance(data, found[0].kind, found[1].fields)


def _namespaces(root: Element) -> tuple[str, ...]:
    found = (split_tag(element) for element in root.iter())
    return tuple(dict.fromkeys(tag[0] for tag in found if tag is not None and "mof" in tag[0]))


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
