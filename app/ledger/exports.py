"""Voucher exports for finance systems: CSV, XLSX (openpyxl) and JSON, one row per line."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from openpyxl import Workbook
from sqlmodel import Session, col, select

from app.audit.service import record_event
from app.auth.principal import Principal
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
)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_BATCH = 500


def export_filename(period: str, export_format: ExportFormat) -> str:
    return f"vouchers-{period}.{export_format}"


def record_export(
    session: Session,
    principal: Principal,
    entity_id: uuid.UUID,
    period: str,
    export_format: ExportFormat,
    key: bytes,
) -> None:
    """Audits the export and commits before a byte is streamed (API and web alike)."""
    record_event(
        session,
        actor=principal.user,
        action="vouchers.exported",
        object_type="period",
        object_id=f"{entity_id}:{period}",
        entity_id=entity_id,
        details={"format": export_format},
        key=key,
    )
    session.commit()


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
            select(JournalVoucher, JournalLine)
            .join(JournalLine, col(JournalLine.voucher_id) == col(JournalVoucher.id))
            .where(JournalVoucher.entity_id == entity_id, JournalVoucher.period == period)
            .order_by(col(JournalVoucher.number), col(JournalLine.line_no))
            .offset(offset)
            .limit(_BATCH)
        ).all()
        for voucher, line in batch:
            yield _row(voucher, line)
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def _row(voucher: JournalVoucher, line: JournalLine) -> dict[str, Any]:
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
    }


def stream_csv(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    # A BOM so that spreadsheet programs open the Chinese account names as UTF-8.
    buffer.write("\ufeff")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
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
    """openpyxl's write-only mode keeps rows out of memory; the file is spooled, then streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("vouchers")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk
