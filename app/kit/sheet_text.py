"""Text a spreadsheet must show, not run.

Excel and WPS take a cell starting with = + - @ (or a tab or carriage return before one) as a
formula, in a CSV they open directly as much as in an XLSX cell written as text. Our exports
carry text that came from uploaded files (an invoice number, a train number, a memo built from
them), so such text is kept as text: quoted with ' in a CSV, typed as a string in an XLSX.
Amounts are never text here: a negative amount stays a number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV cell's value: formula-looking text quoted, anything else as it is."""
    return f"'{value}" if looks_like_formula(value) else value
