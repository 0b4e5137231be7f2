"""index.csv keeps text as text: a cell a spreadsheet would run as a formula is quoted."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from app.archive.index import IndexWriter


def _rows(writer: IndexWriter) -> list[list[str]]:
    writer.file.seek(0)
    return list(csv.reader(io.StringIO(writer.file.read().decode("utf-8-sig"))))


def test_formula_text_is_quoted_and_numbers_stay_numbers():
    writer = IndexWriter()
    writer._write(("=1+2", '=HYPERLINK("http://x")', "+86", "@SUM(A1)", "\tx", "G1234", "北京南"))
    writer._write((Decimal("-553.00"), Decimal("45.66"), None))

    _header, text, amounts = _rows(writer)
    assert text == [
        "'=1+2",
        '\'=HYPERLINK("http://x")',
        "'+86",
        "'@SUM(A1)",
        "'\tx",
        "G1234",
        "北京南",
    ]
    assert amounts == ["-553.00", "45.66", ""]
