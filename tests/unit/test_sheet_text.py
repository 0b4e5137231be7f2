"""Voucher exports keep text from uploaded files as text (no formula runs), amounts as numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from app.ledger.exports import COLUMNS, stream_csv, stream_xlsx


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(COLUMNS, "")
    row.update(date="2026-11-20", debit="-507.34", credit="0.00", line_no=1, **values)
    return row


def test_the_csv_quotes_formula_text_and_leaves_negative_amounts_alone():
    data = b"".join(stream_csv(iter([_row(memo='=HYPERLINK("x") G1 2026-11-20')])))
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["memo"] == '\'=HYPERLINK("x") G1 2026-11-20'
    assert row["debit"] == "-507.34"


def test_the_xlsx_types_formula_text_as_a_string():
    data = b"".join(stream_xlsx(iter([_row(memo="=1+2 G1", account_name="@SUM(A1)")])))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[2]]
    cells = {name: sheet.cell(row=3, column=i + 1) for i, name in enumerate(header)}
    assert (cells["memo"].value, cells["memo"].data_type) == ("=1+2 G1", "s")
    assert (cells["account_name"].value, cells["account_name"].data_type) == ("@SUM(A1)", "s")
    assert cells["debit"].data_type == "n"
    assert Decimal(str(cells["debit"].value)) == Decimal("-507.34")
