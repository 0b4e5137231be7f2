"""Which kind of invoice a face shows, from evidence, never from a label merely being printed.

Sale faces have been seen printing an empty `退票费:` label (DOMAIN §4): what counts is the label
that carries the amount, found by position (wherever the stream draws it), and the markers 12306
prints in red on the fare line and again after the 电子客票号 (退票, 差额退票, 始发改签).

A face may print more than one amount: a fee face the original ticket's 票价 beside its 退票费, a
face the tax split (金额, 税额). The amount the invoice is for is the one a fee label carries,
else the one 票价 carries; amounts under other labels are never it.
"""

from __future__ import annotations

import itertools
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
_AMOUNT_END = re.compile(r"[ \t]*-?[ \t]*\d[\d,]*(?:\.\d+)?")
# Labels of amounts that are not what the invoice is for (the tax split, totals).
_OTHER_LABEL = re.compile(r"不含税金额|价税合计|合计|金额|税额|税率")
_LABEL_AFTER = re.compile(r"[ \t]*(票价|退票费|改签费|退差(?:价款|款)?)")
_VALUE_AFTER = re.compile(r"[ \t]*:?[ \t]*[-¥\d]")
# A label on its own line carries the amount below it within this many glyph heights.
_LINES_ABOVE = 3.0
# A face prints a fare, perhaps a fee and a tax split: the first amounts are enough, and each
# costs a pass over its line (a line of 20,000 `¥1` must not cost 20,000 passes).
_MAX_AMOUNTS = 8


@dataclass(frozen=True, slots=True)
class BusinessEvidence:
    """What a face says about its kind: the amount's label (None: no label carries it), markers."""

    carrier: str | None = None
    markers: tuple[str, ...] = ()
    # Where the invoice's amount starts: (line index, column) of its `¥` (or its minus sign).
    amount_at: tuple[int, int] | None = None

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
    carrier, amount_at = _invoice_amount(lines)
    return BusinessEvidence(carrier, tuple(markers), amount_at)


def _invoice_amount(lines: list[TextLine]) -> tuple[str | None, tuple[int, int] | None]:
    """The label that carries the invoice's amount, and where that amount is: a fee label's
    amount first, else 票价's, else the first amount no other label claims."""
    texts = [line.text for line in lines]
    every = ((i, m.start()) for i, t in enumerate(texts) for m in _CURRENCY.finditer(t))
    amounts = list(itertools.islice(every, _MAX_AMOUNTS))
    if not amounts:
        # No `¥`: a number right behind its label (`改签费: 5.00`) is that label's.
        label = next(
            (m[0] for t in texts for m in _LABEL.finditer(t) if _VALUE_AFTER.match(t, m.end())),
            None,
        )
        return label, None
    positions = _Positions(lines)
    labelled = [
        (_label_of(positions, texts, row, column), (row, column)) for row, column in amounts
    ]
    for wanted in (lambda label: label not in (None, "票价", ""), lambda label: label == "票价"):
        chosen = next(((label, at) for label, at in labelled if wanted(label)), None)
        if chosen is not None:
            return chosen
    unlabelled = next((at for label, at in labelled if label is None), None)
    return None, unlabelled


class _Positions:
    """Each line's character positions, computed once (a line of many labels above several
    amounts would otherwise be measured again for every label and amount)."""

    def __init__(self, lines: list[TextLine]) -> None:
        self.lines = lines
        self._xs: dict[int, list[float]] = {}

    def x(self, row: int, column: int) -> float:
        xs = self._xs.get(row)
        if xs is None:
            xs = self._xs[row] = char_xs(self.lines[row])
        return xs[column]


def _label_of(positions: _Positions, texts: list[str], row: int, column: int) -> str | None:
    """The label an amount belongs to: the nearest one left of it on its line (`""` when that
    is another kind of label: 金额, 税额), else one right behind it (drawn after it), else an
    empty label just above it (the amount printed on its own line)."""
    text = texts[row]
    left = [(m.start(), m[0]) for m in _LABEL.finditer(text, 0, column)]
    left += [(m.start(), "") for m in _OTHER_LABEL.finditer(text, 0, column)]
    if left:
        return max(left)[1]
    end = _AMOUNT_END.match(text, text.index("¥", column) + 1)
    after = _LABEL_AFTER.match(text, end.end()) if end is not None else None
    if after is not None and not _VALUE_AFTER.match(text, after.end()):
        return after[1]
    lines = positions.lines
    amount_x = positions.x(row, column)
    reach = _LINES_ABOVE * max(run.size for run in lines[row].runs)
    above = [
        (abs(positions.x(i, m.start()) - amount_x), lines[row].y - lines[i].y, m[0])
        for i in range(row)
        if lines[row].y - lines[i].y <= reach
        for m in _LABEL.finditer(texts[i])
        if not _VALUE_AFTER.match(texts[i], m.end())
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
