"""四性 checks of the archive records: every voucher archived, folders whole, metadata sealed."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import case, func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.archive.checkpoint import BY_RECORD, BY_VOUCHER, Changed, made_since
from app.archive.documents import retention_until
from app.archive.findings import ArchiveReport
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.seal import record_digest
from app.archive.verify_content import ContentCheck
from app.audit.models import AuditEvent
from app.entities.models import LegalEntity
from app.invoices.models import Invoice
from app.ledger.models import JournalVoucher, Period
from app.storage import FileStore

REQUIRED_ROLES = ("voucher", "report", "metadata")
_ROWS = 1000
_BATCH = 500


def check_completeness(
    session: Session, report: ArchiveReport, today: dt.date, changed: Changed | None = None
) -> None:
    """Integrity: each journal voucher has a record (until its retention ended and the record
    may have been purged), and each record all the files it had; of those made at or after
    `changed`, when given."""
    vouchers = session.execute(
        columns(
            col(JournalVoucher.number_text),
            col(JournalVoucher.period),
            col(LegalEntity.uscc),
            col(ArchiveRecord.id),
        )
        .join(LegalEntity, col(LegalEntity.id) == col(JournalVoucher.entity_id))
        .outerjoin(ArchiveRecord, col(ArchiveRecord.voucher_id) == col(JournalVoucher.id))
        .where(*made_since(JournalVoucher.created_at, changed, logged=BY_VOUCHER))
        .execution_options(yield_per=_ROWS)
    )
    for number, period, uscc, record_id in vouchers:
        report.count("vouchers")
        if record_id is None and retention_until(int(period[:4])) >= today:
            report.fail(
                "archive-record-missing", f"voucher {uscc} {number}", "no archive record",
                "integrity",
            )  # fmt: skip
    _check_numbering(session, report)
    _check_folders(session, report, changed)


def _check_numbering(session: Session, report: ArchiveReport) -> None:
    """Integrity: each entity's vouchers of a month are numbered 1..n without a gap, n being the
    period's last number. A voucher deleted with its record (after an early purge, say) leaves
    no record to miss, but its number stays missing; a period row deleted to hide that leaves
    vouchers of a month no period gave out. One grouped query each way, so --since-last too."""
    given_out = {
        (entity_id, period): last_number
        for entity_id, period, last_number in session.execute(
            columns(col(Period.entity_id), col(Period.period), col(Period.last_number))
        )
    }
    held = session.execute(
        columns(
            col(JournalVoucher.entity_id),
            col(JournalVoucher.period),
            func.count(col(JournalVoucher.id)),
            func.max(col(JournalVoucher.number)),
        ).group_by(col(JournalVoucher.entity_id), col(JournalVoucher.period))
    )
    counts = {(entity_id, period): (n, top) for entity_id, period, n, top in held}
    uscc = dict(session.execute(columns(col(LegalEntity.id), col(LegalEntity.uscc))).all())
    for key in sorted(given_out.keys() | counts.keys(), key=lambda k: (str(k[0]), k[1])):
        last_number = given_out.get(key, 0)
        count, highest = counts.get(key, (0, 0))
        if count != last_number or highest != last_number:
            entity_id, period = key
            report.fail(
                "voucher-numbering", f"period {uscc.get(entity_id, entity_id)} {period}",
                f"numbers 1..{last_number} were given out, {count} vouchers hold them "
                f"(highest {highest})", "integrity",
            )  # fmt: skip


def _check_folders(session: Session, report: ArchiveReport, changed: Changed | None) -> None:
    required = func.sum(case((col(ArchiveFile.role).in_(REQUIRED_ROLES), 1), else_=0))
    history = func.sum(case((col(ArchiveFile.role) == "approval-history", 1), else_=0))
    rows = session.execute(
        columns(
            col(ArchiveRecord.reference), col(ArchiveRecord.file_count),
            col(ArchiveRecord.claim_id), col(ArchiveRecord.total), col(JournalVoucher.total),
            func.count(col(ArchiveFile.id)),
            required, history,
        )
        .join(JournalVoucher, col(JournalVoucher.id) == col(ArchiveRecord.voucher_id))
        .outerjoin(ArchiveFile, col(ArchiveFile.record_id) == col(ArchiveRecord.id))
        .where(*made_since(ArchiveRecord.archived_at, changed, logged=BY_RECORD))
        .group_by(col(ArchiveRecord.id), col(JournalVoucher.id))
        .execution_options(yield_per=_ROWS)
    )  # fmt: skip
    for reference, expected, claim_id, total, booked, found, roles, trail in rows:
        report.count("archive_records")
        label = f"archive_record {reference}"
        complete = (roles or 0) == len(REQUIRED_ROLES) and (claim_id is None or trail)
        if found != expected or not complete:
            report.fail(
                "archive-record-incomplete", label,
                f"{found} of {expected} files recorded; voucher, report and metadata are required",
                "integrity",
            )  # fmt: skip
        if total != booked:
            report.fail(
                "archive-record-mismatch", label, f"total {total} but the voucher's is {booked}",
                "authenticity",
            )  # fmt: skip


def _record_batches(session: Session, changed: Changed | None) -> Iterator[Sequence[ArchiveRecord]]:
    last: uuid.UUID | None = None
    while True:
        statement = (
            select(ArchiveRecord)
            .where(*made_since(ArchiveRecord.archived_at, changed, logged=BY_RECORD))
            .order_by(col(ArchiveRecord.id))
            .limit(_BATCH)
        )
        if last is not None:
            statement = statement.where(col(ArchiveRecord.id) > last)
        batch = session.exec(statement).all()
        if not batch:
            return
        yield batch
        last = batch[-1].id
        session.expunge_all()


def check_records(
    session: Session, store: FileStore, report: ArchiveReport, changed: Changed | None = None
) -> None:
    """Authenticity and security, a batch of records at a time: the metadata lists the folder's
    files as recorded, its hash is the one sealed in the audit chain when the record was made,
    and the rows the record archived are those it sealed (app/archive/verify_content.py), so
    rows, records and files rewritten together still disagree with the chain."""
    uscc = dict(session.exec(select(LegalEntity.id, LegalEntity.uscc)).all())
    content = ContentCheck(report, uscc)
    for batch in _record_batches(session, changed):
        ids = [r.id for r in batch]
        files: dict[uuid.UUID, dict[str, ArchiveFile]] = defaultdict(dict)
        for row in session.exec(select(ArchiveFile).where(col(ArchiveFile.record_id).in_(ids))):
            files[row.record_id][row.path] = row
        seals = recorded_seals(session, ids)
        for record in batch:
            sealed = seals.get(record.id)
            metadata = str(sealed.get("metadata_sha256")) if sealed else None
            _check_record_metadata(store, report, record, files[record.id], metadata)
        content.check_batch(session, batch, seals)
    content.finish()


def recorded_seals(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """What each record's `archive.recorded` event sealed (its MAC is checked by the chain walk).
    Two columns, not the events: the export reads this for every record it copies."""
    rows = session.execute(
        columns(col(AuditEvent.object_id), col(AuditEvent.details)).where(
            col(AuditEvent.object_type) == "archive_record",
            col(AuditEvent.object_id).in_([str(i) for i in ids]),
            col(AuditEvent.action) == "archive.recorded",
        )
    ).all()
    return {uuid.UUID(object_id or ""): details for object_id, details in rows}


def as_sealed(record: ArchiveRecord, sealed: dict[str, Any] | None) -> bool:
    """The record row is the one its `archive.recorded` event sealed: the metadata hash, and the
    row's own digest where the event carries a content seal (records archived before the
    content seal carry the metadata hash only)."""
    if not isinstance(sealed, dict) or sealed.get("metadata_sha256") != record.metadata_sha256:
        return False
    content = sealed.get("content")
    return content is None or (
        isinstance(content, dict) and content.get("record") == record_digest(record)
    )


def _check_record_metadata(
    store: FileStore,
    report: ArchiveReport,
    record: ArchiveRecord,
    files: dict[str, ArchiveFile],
    seal: str | None,
) -> None:
    report.count("archive_seals")
    label = f"archive_record {record.reference}"
    if seal != record.metadata_sha256:
        message = "no audit event seals it" if seal is None else f"the audit chain seals {seal}"
        report.fail("archive-seal", label, f"metadata {record.metadata_sha256}: {message}",
                    "security")  # fmt: skip
    stored = files.get("metadata.json")
    if stored is None or stored.sha256 in report.bad_files:
        return  # reported by the folder and file checks
    if stored.sha256 != record.metadata_sha256:
        report.fail("metadata-mismatch", label, "the metadata file is not the recorded one",
                    "authenticity")  # fmt: skip
        return
    listed = listed_files(store.get(stored.sha256))
    if listed is None:
        report.fail("metadata-unreadable", label, "the metadata is not the JSON this service "
                    "writes", "usability")  # fmt: skip
        return
    actual = {
        path: Listed.of_row(row.sha256, row.role, row.size, listed.get(path))
        for path, row in files.items()
        if path != "metadata.json"
    }
    differing = sorted(p for p in listed.keys() | actual.keys() if listed.get(p) != actual.get(p))
    if differing:
        report.fail("metadata-mismatch", label,
                    f"files differ from the metadata: {', '.join(differing[:10])}",
                    "authenticity")  # fmt: skip


class Listed(NamedTuple):
    """A file as the sealed metadata lists it. The role decides which checks a file meets (an
    XBRL is parsed): a row's role changed by hand would take it out of them. The size is what
    the bag's Payload-Oxum and the downloads trust."""

    sha256: str
    role: str | None  # None in metadata written before files had roles
    size: int | None

    @classmethod
    def of_row(cls, sha256: str, role: str, size: int, listed: Listed | None) -> Listed:
        """A file row as its listing would read, comparing only what the listing holds."""
        known = listed or cls("", "", 0)
        return cls(
            sha256,
            role if known.role is not None else None,
            size if known.size is not None else None,
        )


def listed_files(data: bytes) -> dict[str, Listed] | None:
    """Path → what the sealed metadata lists of the file; None for metadata of another shape."""
    try:
        files = json.loads(data)["files"]
        return {str(f["path"]): _listed(f) for f in files}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _listed(entry: dict[str, Any]) -> Listed:
    size = entry.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
        raise TypeError("a size that is not a whole number")
    return Listed(str(entry["sha256"]), str(entry["role"]) if entry.get("role") else None, size)


def add_warnings(session: Session, report: ArchiveReport, today: dt.date) -> None:
    """Not failures, but what an archivist should act on."""
    expired = session.exec(
        select(func.count()).where(col(ArchiveRecord.retention_until) < today)
    ).one()
    if expired:
        report.warn("retention-ended", "archive", f"{expired} records are past their retention: "
                    "appraise them for destruction (会计档案管理办法)", "integrity")  # fmt: skip
    unverified = session.exec(
        select(func.count(func.distinct(col(ArchiveFile.invoice_id))))
        .join(Invoice, col(Invoice.id) == col(ArchiveFile.invoice_id))
        .where(Invoice.verification != "verified")
    ).one()
    if unverified:
        report.warn("invoice-unverified", "archive", f"{unverified} archived invoices were not "
                    "verified (查验) with the tax platform", "authenticity")  # fmt: skip
