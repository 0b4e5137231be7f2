"""Face versus XBRL: a disagreement is a tamper or corruption signal, reported, never resolved."""

from __future__ import annotations

import dataclasses
import unicodedata
from decimal import Decimal

from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.kind_rules import KindRules
from app.invoices.parsing.model import Finding, FlightSegment

# Personal data a finding's message (stored, shown, logged) must not repeat.
_PERSONAL = frozenset({"passenger_id_masked"})


def cross_check(xbrl: InvoiceFields, face: InvoiceFields, rules: KindRules) -> list[Finding]:
    """The printed fields where the face and the XBRL disagree, or the face lacks one it always
    shows (then it does not show the invoice its XBRL describes)."""
    findings: list[Finding] = []
    for name in rules.printed_fields:
        stated, printed = getattr(xbrl, name), getattr(face, name)
        if printed is None:
            if name in rules.always_printed and stated is not None:
                shown = _shown(stated)
                message = (
                    f"the face does not show the {rules.label(name)} the XBRL states ({shown})"
                )
                findings.append(Finding("face-xbrl-mismatch", message, name))
            continue
        if stated is not None and not _same(name, stated, printed):
            message = (
                f"{_label(name)}: the face and the XBRL differ"  # an ID is never quoted
                if name in _PERSONAL
                else f"{_label(name)}: face shows {_shown(printed)}, XBRL states {_shown(stated)}"
            )
            findings.append(Finding("face-xbrl-mismatch", message, name))
    return findings


def fill_from_face(xbrl: InvoiceFields, face: InvoiceFields, rules: KindRules) -> InvoiceFields:
    """XBRL values, with the face's for optional elements the XBRL leaves out (e.g. 电子客票号)."""
    filled = dataclasses.replace(xbrl)
    for name in rules.printed_fields:
        if getattr(filled, name) is None and getattr(face, name) is not None:
            setattr(filled, name, getattr(face, name))
    return filled


def _same(name: str, stated: object, printed: object) -> bool:
    if isinstance(stated, tuple) and isinstance(printed, tuple):
        # Flight segments: the same flights in the same order, each field compared as above.
        return len(stated) == len(printed) and all(
            _same(field.name, getattr(ours, field.name), getattr(theirs, field.name))
            for ours, theirs in zip(stated, printed, strict=True)
            for field in dataclasses.fields(ours)
        )
    if isinstance(stated, Decimal) and isinstance(printed, Decimal):
        return stated == printed
    if isinstance(stated, str) and isinstance(printed, str):
        if name == "carriage" and stated.isdigit() and printed.isdigit():
            return int(stated) == int(printed)
        return _canonical(stated) == _canonical(printed)
    return stated == printed


def _canonical(text: str) -> str:
    # The face went through NFKC and loses spacing between glyph runs; compare the XBRL likewise.
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def _shown(value: object) -> str:
    """A value as a message quotes it; flights briefly (`CA1831 2025-03-15 北京首都→上海虹桥`)."""
    if isinstance(value, tuple):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, FlightSegment):
        route = f"{value.departure_airport or '?'}→{value.arrival_airport or '?'}"
        return f"{value.flight_number} {value.travel_date or '?'} {route}"
    return str(value)


def _label(name: str) -> str:
    return name.replace("_", " ")
