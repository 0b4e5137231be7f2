"""Archiving a posted voucher: its folder of files in the store and its record, in one transaction.

Called by app/posting inside the posting's transaction (book, pay, reverse), so a voucher never
exists without its archive record: `prepare_folder` before the voucher takes its number,
`archive_voucher` after. Bytes are stored before the commit; if the transaction rolls back they
are unreferenced and storage gc removes them after its grace period.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.archive.contents import FolderDocuments, VoucherContents, voucher_contents
from app.archive.documents import (
    PlannedFile,
    approval_history,
    archive_reference,
    invoice_folder,
    metadata,
    paper_summary,
    retention_until,
    safe_name,
    to_json_bytes,
)
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.report import render_report
from app.archive.seal import SealedRows, booked_key, content_seal, document_key
from app.audit.service import AuditedObject, EventRecorder
from app.auth.models import User
from app.db import utcnow
from app.invoices.models import Invoice, PaperVoucher
from app.ledger.models import BookedDocument
from app.ledger.posting import PostedVoucher
from app.storage import FileStore

SCAN_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


@dataclass(frozen=True)
class PreparedFolder:
    """A folder's files that do not name the voucher, stored before it takes its number."""

    documents: FolderDocuments
    history_files: list[PlannedFile]
    document_files: list[PlannedFile]


def prepare_folder(store: FileStore, documents: FolderDocuments, kind: str) -> PreparedFolder:
    """Stores the approval history and, for a booking, plans the documents' files (payment and
    reversal folders refer to the booking's originals). No database writes."""
    history_files = []
    if documents.claim is not None:
        history = to_json_bytes(approval_history(documents))
        history_files.append(_put(store, "approval-history.json", "approval-history", history))
    document_files: list[PlannedFile] = []
    if kind == "booking":
        for invoice in documents.invoices:
            document_files += _invoice_files(store, documents, invoice)
        for paper in documents.papers:
            document_files += _paper_files(store, paper)
    return PreparedFolder(documents, history_files, document_files)


def archive_voucher(
    session: Session,
    *,
    store: FileStore,
    folder: PreparedFolder,
    posted: PostedVoucher,
    marks: Sequence[BookedDocument] | None,
    actor: User,
    key: bytes,
) -> ArchiveRecord:
    """Writes the files that name the voucher and the folder's record, and seals its metadata
    hash and content (the rows it archived: app/archive/seal.py) in the audit chain, so a
    record, its files or the rows rewritten later (all of them together included) no longer
    match the chain. `marks` are the booked marks of the voucher's documents when the caller
    holds them (None: read here)."""
    voucher = posted.voucher
    contents = voucher_contents(folder.documents, posted)
    reference = archive_reference(contents.entity.fonds_code, voucher.period, voucher.number)
    keep_until = retention_until(int(voucher.period[:4]))
    archived_at = utcnow()
    files = [
        _put(store, "voucher.json", "voucher", to_json_bytes(contents.voucher_json)),
        _put(store, "report.html", "report", render_report(contents, reference, keep_until)),
        *folder.history_files,
        *folder.document_files,
    ]
    document = metadata(contents, reference, files, archived_at)
    files.append(_put(store, "metadata.json", "metadata", to_json_bytes(document)))
    record = _store_record(session, contents, reference, keep_until, archived_at, files)
    EventRecorder(actor, key).record(
        session,
        "archive.recorded",
        AuditedObject("archive_record", record.id, voucher.entity_id),
        details={
            "reference": reference,
            "voucher": voucher.number_text,
            "files": len(files),
            "metadata_sha256": record.metadata_sha256,
            "content": content_seal(_sealed_rows(session, contents, record, marks)),
        },
    )
    return record


def _sealed_rows(
    session: Session,
    contents: VoucherContents,
    record: ArchiveRecord,
    marks: Sequence[BookedDocument] | None,
) -> SealedRows:
    """The rows as verify will read them: the lines' documents and each one's booked mark."""
    voucher = contents.voucher
    documents: dict[str, Invoice | PaperVoucher | None] = {
        document_key(i): i for i in contents.invoices
    }
    documents |= {document_key(p): p for p in contents.papers}
    if marks is None:
        marks = _booked_marks(session, contents)
    booked = {booked_key(mark): mark for mark in marks}
    # A mark of this voucher whose document no line names is sealed with its document too.
    for key, mark in booked.items():
        if key in documents:
            continue
        if mark.invoice_id:
            documents[key] = session.get(Invoice, mark.invoice_id)
        else:
            documents[key] = session.get(PaperVoucher, mark.paper_voucher_id)
    return SealedRows(
        record=record,
        voucher=voucher,
        lines=contents.lines,
        documents=documents,
        booked=booked,
        claim=contents.claim,
    )


def _booked_marks(session: Session, contents: VoucherContents) -> Sequence[BookedDocument]:
    """The marks of the voucher and of the documents its lines name (a reversal's: the
    booking's)."""
    return session.exec(
        select(BookedDocument).where(
            or_(
                col(BookedDocument.voucher_id) == contents.voucher.id,
                col(BookedDocument.invoice_id).in_([i.id for i in contents.invoices]),
                col(BookedDocument.paper_voucher_id).in_([p.id for p in contents.papers]),
            )
        )
    ).all()


def _put(
    store: FileStore, path: str, role: str, data: bytes, paper_voucher_id: uuid.UUID | None = None
) -> PlannedFile:
    return PlannedFile(path, role, store.put(data), len(data), paper_voucher_id=paper_voucher_id)


def _invoice_files(
    store: FileStore, contents: FolderDocuments, invoice: Invoice
) -> list[PlannedFile]:
    folder = invoice_folder(invoice.invoice_number)
    files = [
        PlannedFile(
            f"{folder}/original.{rendition.kind}",
            "invoice-original",
            rendition.sha256,
            rendition.size,
            invoice_id=invoice.id,
        )
        for rendition in contents.renditions.get(invoice.id, [])
    ]
    if invoice.xbrl_sha256:
        size = _stored_size(store, invoice.xbrl_sha256)
        files.append(
            PlannedFile(
                f"{folder}/xbrl.xml",
                "invoice-xbrl",
                invoice.xbrl_sha256,
                size,
                invoice_id=invoice.id,
            )
        )
    return files


def _paper_files(store: FileStore, paper: PaperVoucher) -> list[PlannedFile]:
    folder = f"paper/{safe_name(paper.serial_number)}"
    files = [
        _put(
            store,
            f"{folder}/paper-voucher.json",
            "paper-voucher",
            to_json_bytes(paper_summary(paper)),
            paper_voucher_id=paper.id,
        )
    ]
    if paper.scan_sha256:
        suffix = SCAN_SUFFIXES.get(paper.scan_content_type or "", ".bin")
        files.append(
            PlannedFile(
                f"{folder}/scan{suffix}",
                "paper-scan",
                paper.scan_sha256,
                _stored_size(store, paper.scan_sha256),
                paper_voucher_id=paper.id,
            )
        )
    return files


def _stored_size(store: FileStore, sha256: str) -> int:
    with store.open(sha256) as handle:
        return handle.seek(0, os.SEEK_END)


def _store_record(
    session: Session,
    contents: VoucherContents,
    reference: str,
    keep_until: dt.date,
    archived_at: dt.datetime,
    files: list[PlannedFile],
) -> ArchiveRecord:
    voucher = contents.voucher
    record = ArchiveRecord(
        reference=reference,
        voucher_id=voucher.id,
        entity_id=voucher.entity_id,
        claim_id=voucher.claim_id,
        kind=voucher.kind,
        fiscal_year=int(voucher.period[:4]),
        period=voucher.period,
        voucher_number=voucher.number,
        voucher_number_text=voucher.number_text,
        total=voucher.total,
        retention_until=keep_until,
        file_count=len(files),
        metadata_sha256=files[-1].sha256,
        archived_at=archived_at,
    )
    session.add(record)
    session.flush()
    for planned in files:
        session.add(
            ArchiveFile(
                record_id=record.id,
                path=planned.path,
                role=planned.role,
                sha256=planned.sha256,
                size=planned.size,
                invoice_id=planned.invoice_id,
                paper_voucher_id=planned.paper_voucher_id,
            )
        )
    return record
