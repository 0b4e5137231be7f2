"""index.csv of an export: one row per voucher and one per invoice or paper voucher it holds."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import IO

from app.archive.models import ArchiveRecord
from app.archive.zipstream import spooled_file
from app.invoices.air import reimbursed_amount, route_number
from app.invoices.models import Invoice, PaperVoucher
from app.kit.sheet_text import csv_text

COLUMNS = (
    "row_type",
    "reference",
    "folder",
    "period",
    "voucher_number",
    "voucher_kind",
    "voucher_date",
    "amount",
    "document_number",
    "business_type",
    "travel_date",
    "train_number",
    "passenger_id_masked",
    "tax_amount",
    "verification",
    "retention_until",
    # Air itineraries (issue 18): railway or air, the flights, and 合计 (the fare for railway).
    "travel_kind",
    "flight_number",
    "total_amount",
)


def _cell(value: object) -> object:
    # Text from uploaded files (a train number "=1+2") stays text; amounts are Decimals.
    return "" if value is None else csv_text(value)


class IndexWriter:
    """Rows go to a spooled file (memory, then disk), so the index never grows in memory."""

    def __init__(self) -> None:
        self.file: IO[bytes] = spooled_file()
        self.rows = 0
        # A BOM, so spreadsheet programs in China open the UTF-8 file with the right encoding.
        self.file.write("\ufeff".encode())
        self._write(COLUMNS)

    def _write(self, row: tuple[object, ...]) -> None:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerow([_cell(v) for v in row])
        self.file.write(text.getvalue().encode("utf-8"))

    def add_record(
        self,
        record: ArchiveRecord,
        voucher_date: dt.date,
        folder: str,
        invoices: list[Invoice],
        papers: list[PaperVoucher],
    ) -> None:
        common = (record.reference, folder, record.period, record.voucher_number_text)
        retained = record.retention_until.isoformat()
        date = voucher_date.isoformat()
        self._write(
            ("voucher", *common, record.kind, date, record.total, *[None] * 7, retained,
             None, None, None)
        )  # fmt: skip
        for i in invoices:
            air = i.kind == "air"
            self._write(
                ("invoice", *common, record.kind, date, i.fare, i.invoice_number,
                 i.business_type, i.travel_date, i.train_number, i.passenger_id_masked,
                 i.tax_amount, i.verification, retained,
                 i.kind, route_number(i) if air else None, reimbursed_amount(i))
            )  # fmt: skip
        for p in papers:
            self._write(
                ("paper-voucher", *common, record.kind, date, p.fare, p.serial_number, "sale",
                 p.travel_date, p.train_number or None, p.passenger_id_masked, None, None,
                 retained, p.kind, p.flight_number, reimbursed_amount(p))
            )  # fmt: skip
        self.rows += 1 + len(invoices) + len(papers)
