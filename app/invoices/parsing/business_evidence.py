"""Which kind of invoice a face shows, from evidence, never from a label merely being printed.

Sale faces have been seen printing an empty `退票费:` label (DOMAIN §4): what counts is the label
that carries the amount, found by position (wherever the stream draws it), and the markers 12306
prints in red on the fare line and again after the 电子客票号 (退票, 差额退票, 始发改签).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.invoices.parsing.layout import TextLine, char_xs
from app.invoices.parsing.model import BusinessType, Finding

BUSINESS_TYPE_UNCLEAR = "business-type-unclear"

# The label a face prints before its amount: the type it names, and the types it fits.
_LABEL_TYPES: dict[str, tuple[BusinessType, frozenset[BusinessType]]] = {
    # A 退差 face prints its (negative) amount as 票价 too; its marker tells it apart.
    "票价": ("sale", frozenset({"sale", "difference"})),
    "退票费": ("refund", frozenset({"refund"})),
    "改签费": ("change", frozenset({"change"})),
    "退差": ("difference", frozenset({"difference"})),
}
# 始发改签 marks the new sale of a changed ticket, and may mark its change fee.
_MARKER_TYPES: dict[str, frozenset[BusinessType]] = {
    "退票": frozenset({"refund"}),
    "差额退票": frozenset({"difference"}),
    "始发改签": frozenset({"sale", "change"}),
}
_ORDER: tuple[BusinessType, ...] = ("sale", "refund", "change", "difference")
_LABEL = re.compile(r"票价|退票费|改签费|退差(?:价款|款)?")
_MARKER = re.compile(r"差额退票|始发改签|退票(?!费)")
_CURRENCY = re.compile(r"-?[ \t]*¥")
_VALUE_AFTER = re.compile(r"[ \t]*:?[ \t]*[-¥\d]")
# A label on its own line carries the amount below it within this many glyph heights.
_LINES_ABOVE = 3.0


@dataclass(frozen=True, slots=True)
class BusinessEvidence:
    """What a face says about its kind: the amount's label (None: no label carries it), markers."""

    carrier: str | None = None
    markers: tuple[str, ...] = ()

    def compatible(self) -> frozenset[BusinessType] | None:
        """The types every piece of evidence fits; None when the face gives no evidence."""
        sets = [_MARKER_TYPES[m] for m in self.markers]
        if self.carrier is not None:
            sets.append(_label_types(self.carrier)[1])
        if not sets:
            return None
        return frozenset.intersection(*sets)

    def clear_type(self) -> BusinessType | None:
        """The type the evidence agrees on; None when it gives none or contradicts itself."""
        compatible = self.compatible()
        if not compatible:
            return None
        named = _label_types(self.carrier)[0] if self.carrier is not None else None
        return named if named in compatible else next(t for t in _ORDER if t in compatible)

    def best_guess(self) -> BusinessType:
        """For contradicting evidence: the label's word, else the first marker's, else a sale."""
        if self.carrier is not None:
            return _label_types(self.carrier)[0]
        first = next(
            (t for t in _ORDER if self.markers and t in _MARKER_TYPES[self.markers[0]]), None
        )
        return first or "sale"

    def describe(self) -> str:
        label = (
            f"its amount is labelled {self.carrier}"
            if self.carrier
            else "no label carries its amount"
        )
        marks = f", marked {'/'.join(self.markers)}" if self.markers else ", with no marker"
        return label + marks


NO_EVIDENCE = BusinessEvidence()


def _label_types(label: str) -> tuple[BusinessType, frozenset[BusinessType]]:
    return _LABEL_TYPES["退差" if label.startswith("退差") else label]


def read_business_evidence(lines: list[TextLine]) -> BusinessEvidence:
    markers = dict.fromkeys(m[0] for line in lines for m in _MARKER.finditer(line.text))
    return BusinessEvidence(_amount_label(lines), tuple(markers))


def _amount_label(lines: list[TextLine]) -> str | None:
    """The label the face's first amount belongs to: the nearest one left of it on its line,
    else an empty label just above it (the amount printed on its own line)."""
    texts = [line.text for line in lines]
    amount = next(((i, m.start()) for i, t in enumerate(texts) if (m := _CURRENCY.search(t))), None)
    if amount is None:
        # No `¥`: a number right behind its label (`改签费: 5.00`) is that label's.
        return next(
            (m[0] for t in texts for m in _LABEL.finditer(t) if _VALUE_AFTER.match(t, m.end())),
            None,
        )
    row, column = amount
    amount_x = char_xs(lines[row])[column]
    labels = [(i, m) for i, t in enumerate(texts) for m in _LABEL.finditer(t)]
    left = [m for i, m in labels if i == row and m.start() < column]
    if left:
        return max(left, key=lambda m: m.start())[0]
    reach = _LINES_ABOVE * max(run.size for run in lines[row].runs)
    above = [
        (abs(char_xs(lines[i])[m.start()] - amount_x), lines[row].y - lines[i].y, m[0])
        for i, m in labels
        if i < row
        and lines[row].y - lines[i].y <= reach
        and not _VALUE_AFTER.match(texts[i], m.end())
    ]
    return min(above)[2] if above else None


def unclear_business_type(
    stated: BusinessType | None, evidence: BusinessEvidence | None
) -> Finding | None:
    """`business-type-unclear` when the XBRL's type and the face's evidence do not all agree.

    Claims are blocked on it until finance sets the type: a wrong kind would be claimed, booked
    and archived with the wrong VAT basis.
    """
    compatible = evidence.compatible() if evidence is not None else None
    if evidence is None or compatible is None:
        return None
    if stated is not None and stated in compatible:
        return None
    if stated is None and compatible:
        return None
    xbrl = f"the XBRL states {stated}, but " if stated is not None else ""
    message = f"{xbrl}the face {'contradicts itself: ' if not compatible else 'says otherwise: '}"
    return Finding(BUSINESS_TYPE_UNCLEAR, message + evidence.describe(), "business_type")
