"""The kinds of travel e-invoice the parser reads, and which one a face or an XBRL tree is."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.invoices.parsing.air_fields import AIR
from app.invoices.parsing.kind_rules import FaceReading, KindRules, XbrlReading
from app.invoices.parsing.layout import TextLine, page_text
from app.invoices.parsing.model import InvoiceKind, UnreadableFile
from app.invoices.parsing.railway_fields import RAILWAY

KINDS: tuple[KindRules, ...] = (RAILWAY, AIR)
# A railway face holds ≈ 300 characters, an OFD citing its template on every page some
# thousands; past this, no face (and the field patterns stay linear in what they read).
FACE_TEXT_LIMIT = 50_000
_BY_KIND: dict[InvoiceKind, KindRules] = {rules.kind: rules for rules in KINDS}


def rules_of(kind: InvoiceKind) -> KindRules:
    return _BY_KIND[kind]


def read_face_fields(lines: list[TextLine], kind: InvoiceKind | None = None) -> FaceReading:
    """The face read by the rules of `kind` (the kind its XBRL states), else of the kind it shows.

    A titled face is read once; an untitled one by each kind's rules until one recognises its
    fields. A face no kind recognises has `kind` None (its railway reading is kept).
    """
    text = page_text(lines)
    if len(text) > FACE_TEXT_LIMIT:
        # A face prints a few hundred characters; the field patterns are not made for more.
        raise UnreadableFile(
            f"the page holds {len(text)} characters of text, more than any invoice face prints"
        )
    if kind is not None:
        return _read_as(rules_of(kind), lines, text)
    # The kind whose title is printed first: a damaged text layer may have lost it, hence all.
    ordered = sorted(KINDS, key=lambda rules: rules.title not in text)
    readings = (_read_as(rules, lines, text) for rules in ordered)
    first = next(readings)
    if first.kind is not None:
        return first
    return next((r for r in readings if r.kind is not None), first)


def _read_as(rules: KindRules, lines: list[TextLine], text: str) -> FaceReading:
    fields, business = rules.read_face(lines, text)
    return FaceReading(fields, rules.kind if rules.looks_like(text, fields) else None, business)


def read_xbrl_tree(root: Element) -> tuple[KindRules, XbrlReading] | None:
    """The first kind whose taxonomy the tree holds facts of, and those facts."""
    for rules in KINDS:
        reading = rules.read_xbrl(root)
        if reading is not None:
            return rules, reading
    return None
