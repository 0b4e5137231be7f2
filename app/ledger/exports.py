"""Voucher exports for finance systems: CSV, XLSX (openpyxl) and JSON, one row per line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlmodel import Session, col, select

from app.audit.service import AuditedObject, EventRecorder
from app.auth.principal import Principal
from app.invoices.models import Invoice, PaperVoucher
from app.kit.sheet_text import csv_text, looks_like_formula
from app.ledger.models import JournalLine, JournalVoucher

ExportFormat = Literal["csv", "xlsx", "json"]
COLUMNS = (
    "voucher_number",
    "voucher_id",
    "date",
    "period",
    "kind",
    "claim_id",
    "line_no",
    "account_code",
    "account_name",
    "debit",
    "credit",
    "memo",
    "department",
    "cost_centre",
    "invoice_id",
    "paper_voucher_id",
    "tax_basis",
    "travel_kind",
)
# The spreadsheet's first header row, for the clerk; the second keeps the API's field names.
COLUMN_LABELS = {
    "voucher_number": "凭证号",
    "voucher_id": "凭证编号",
    "date": "日期",
    "period": "期间",
    "kind": "类型",
    "claim_id": "报销单编号",
    "line_no": "行号",
    "account_code": "科目代码",
    "account_name": "科目名称",
    "debit": "借方金额",
    "credit": "贷方金额",
    "memo": "摘要",
    "department": "部门",
    "cost_centre": "成本中心",
    "invoice_id": "发票编号",
    "paper_voucher_id": "纸质凭证编号",
    "tax_basis": "进项税依据",
    "travel_kind": "铁路/航空",
}
MONEY_COLUMNS = frozenset({"debit", "credit"})
MONEY_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_BATCH = 500


@dataclass(frozen=True)
class VoucherExport:
    """An audited export of one entity's month: what to stream, and how the file is named."""

    entity_id: uuid.UUID
    period: str
    export_format: ExportFormat

    @property
    def filename(self) -> str:
        return f"vouchers-{self.period}.{self.export_format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.export_format]

    def stream(self, read_session: Session) -> Iterator[bytes]:
        return stream_export(read_session, self.entity_id, self.period, self.export_format)


def record_export(
    session: Session,
    principal: Principal,
    entity_id: uuid.UUID,
    period: str,
    export_format: ExportFormat,
    key: bytes,
) -> VoucherExport:
    """Audits the export and commits before a byte is streamed (API and web alike)."""
    EventRecorder(principal.user, key).record(
        session,
        "vouchers.exported",
        AuditedObject("period", f"{entity_id}:{period}", entity_id),
        details={"format": export_format},
    )
    session.commit()
    return VoucherExport(entity_id, period, export_format)


def stream_export(
    read_session: Session, entity_id: uuid.UUID, period: str, export_format: ExportFormat
) -> Iterator[bytes]:
    """The export's bytes; closes `read_session` (opened for this stream alone) when done."""
    writer = {"csv": stream_csv, "xlsx": stream_xlsx, "json": stream_json}[export_format]
    try:
        yield from writer(export_rows(read_session, entity_id, period))
    finally:
        read_session.close()


def export_rows(session: Session, entity_id: uuid.UUID, period: str) -> Iterator[dict[str, Any]]:
    """Lines in voucher-number order, read in batches so memory stays flat."""
    offset = 0
    while True:
        batch = session.exec(
            select(JournalVoucher, JournalLine, col(Invoice.kind), col(PaperVoucher.kind))
            .join(JournalLine, col(JournalLine.voucher_id) == col(JournalVoucher.id))
            .outerjoin(Invoice, col(Invoice.id) == col(JournalLine.invoice_id))
            .outerjoin(PaperVoucher, col(PaperVoucher.id) == col(JournalLine.paper_voucher_id))
            .where(JournalVoucher.entity_id == entity_id, JournalVoucher.period == period)
            .order_by(col(JournalVoucher.number), col(JournalLine.line_no))
            .offset(offset)
            .limit(_BATCH)
        ).all()
        for voucher, line, invoice_kind, paper_kind in batch:
            yield _row(voucher, line, invoice_kind or paper_kind or "")
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def _row(voucher: JournalVoucher, line: JournalLine, travel_kind: str) -> dict[str, Any]:
    return {
        "voucher_number": voucher.number_text,
        "voucher_id": str(voucher.id),
        "date": voucher.date.isoformat(),
        "period": voucher.period,
        "kind": voucher.kind,
        "claim_id": str(voucher.claim_id) if voucher.claim_id else "",
        "line_no": line.line_no,
        "account_code": line.account_code,
        "account_name": line.account_name,
        "debit": f"{line.debit:.2f}",
        "credit": f"{line.credit:.2f}",
        "memo": line.memo,
        "department": line.department or "",
        "cost_centre": line.cost_centre or "",
        "invoice_id": str(line.invoice_id) if line.invoice_id else "",
        "paper_voucher_id": str(line.paper_voucher_id) if line.paper_voucher_id else "",
        "tax_basis": line.tax_basis or "",
        # railway or air for a document's lines; empty for the payable and bank lines.
        "travel_kind": travel_kind,
    }


def stream_csv(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    # A BOM so that spreadsheet programs open the Chinese account names as UTF-8.
    buffer.write("\ufeff")
    writer.writeheader()
    for row in rows:
        # The memo starts with an invoice number read from an uploaded file: text stays text.
        writer.writerow({k: v if k in MONEY_COLUMNS else csv_text(v) for k, v in row.items()})
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def stream_json(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    yield b"["
    for index, row in enumerate(rows):
        yield (b"," if index else b"") + json.dumps(row, ensure_ascii=False).encode("utf-8")
    yield b"]"


def stream_xlsx(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """openpyxl's write-only mode keeps rows out of memory; the file is spooled, then streamed.

    Cells are typed so that a spreadsheet computes with them: money as numbers shown `0.00`
    (Excel's SUM skips text), dates as dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("vouchers")
    sheet.append([COLUMN_LABELS[column] for column in COLUMNS])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_typed_cell(sheet, column, row[column]) for column in COLUMNS])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk


def _typed_cell(sheet: WriteOnlyWorksheet, column: str, value: Any) -> Any:
    if column in MONEY_COLUMNS:
        # openpyxl writes a Decimal exactly as a number; its stubs list only float.
        cell = WriteOnlyCell(sheet, value=Decimal(value))  # type: ignore[arg-type]
        cell.number_format = MONEY_FORMAT
        return cell
    if column == "date":
        day = dt.date.fromisoformat(value)
        cell = WriteOnlyCell(sheet, value=dt.datetime.combine(day, dt.time()))
        cell.number_format = DATE_FORMAT
        return cell
    if looks_like_formula(value):
        # openpyxl would store it as a formula; typed as a string, the sheet shows the text.
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"
        return text
    return value
