"""Exporting an entity's archive for a range of periods as a streamed BagIt zip.

The export is audited and committed first, so the bag can name the audit chain's head (which is
the export's own event) and an export that fails half-way is still on record. The bag itself is
read from a read-only session in one snapshot, in batches, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, or_
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.archive.bag import StreamedBag
from app.archive.documents import invoice_holds_path, safe_name
from app.archive.index import IndexWriter
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.prefetch import Fetched, Wanted, read_ahead
from app.archive.verify_records import Listed, as_sealed, listed_files, recorded_seals
from app.audit.service import AuditedObject, EventRecorder
from app.auth.models import User
from app.entities.models import LegalEntity
from app.invoices.models import Invoice, PaperVoucher
from app.kit.dates import business_date
from app.ledger.models import JournalVoucher
from app.problems import NotFound, ValidationProblem
from app.storage import FileStore

BATCH = 200
# A record's metadata lists a few files in a few KB; more than this is not one.
_METADATA_LIMIT = 16 * 1024 * 1024
KINDS = ("booking", "payment", "reversal")


@dataclass(frozen=True)
class ExportPlan:
    entity_id: uuid.UUID
    entity_name: str
    uscc: str
    fonds_code: str
    period_from: str
    period_to: str
    exporter: str
    exported_at: dt.datetime
    head_seq: int
    head_mac: str

    @property
    def filename(self) -> str:
        return f"archive-{self.uscc}-{self.period_from}-{self.period_to}.zip"


def start_export(
    session: Session,
    *,
    entity_id: uuid.UUID,
    period_from: str,
    period_to: str,
    actor: User | None,
    key: bytes,
) -> ExportPlan:
    """Records the export in the audit log and commits, before a byte is streamed."""
    if period_from > period_to:
        raise ValidationProblem(
            "to", "the last period must not precede the first", code="period_range_reversed"
        )
    entity = session.get(LegalEntity, entity_id)
    if entity is None:
        raise NotFound("No such legal entity.")
    event = EventRecorder(actor, key).record(
        session,
        "archive.exported",
        AuditedObject("legal_entity", entity.id, entity.id),
        details={"from": period_from, "to": period_to},
    )
    plan = ExportPlan(
        entity_id=entity.id,
        entity_name=entity.name,
        uscc=entity.uscc,
        fonds_code=entity.fonds_code,
        period_from=period_from,
        period_to=period_to,
        exporter=actor.username if actor else "railclaim-cli",
        exported_at=event.occurred_at,
        head_seq=event.seq,
        head_mac=event.mac,
    )
    session.commit()
    return plan


@dataclass
class _Totals:
    vouchers: dict[str, int]
    amounts: dict[str, Decimal]
    invoices: int = 0
    papers: int = 0

    @classmethod
    def empty(cls) -> _Totals:
        return cls(dict.fromkeys(KINDS, 0), {k: Decimal("0.00") for k in KINDS})


def stream_export(
    read_session: Session,
    *,
    store: FileStore,
    plan: ExportPlan,
    failures: list[str] | None = None,
) -> Iterator[bytes]:
    """The bag's bytes. `read_session` should be fresh: it is put in one snapshot here.
    `failures`, when given, receives what bag-info counts as Integrity-Failures (files missing
    or not as recorded), for a caller that can still say so (the CLI, not a streamed reply)."""
    _snapshot(read_session)
    bag = StreamedBag("bag", plan.exported_at.astimezone(dt.UTC))
    if failures is not None:
        bag.failures = failures
    index = IndexWriter()
    totals = _Totals.empty()
    yield from bag.start()
    for batch in _batches(read_session, plan):
        yield from _write_batch(bag, index, totals, store, batch)
        read_session.expunge_all()  # the identity map would otherwise grow with every batch
    yield from bag.finish(_bag_info(plan, totals, bag), [("index.csv", index.file)])


def _snapshot(read_session: Session) -> None:
    # PostgreSQL's default isolation sees commits between batches; one snapshot keeps totals,
    # index and folders consistent. A SQLite read transaction is a snapshot already.
    if read_session.get_bind().dialect.name == "postgresql":
        read_session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


class FileRow(NamedTuple):
    """What the export needs of an archive_file row."""

    path: str
    sha256: str
    size: int
    invoice_id: uuid.UUID | None
    paper_voucher_id: uuid.UUID | None


@dataclass(frozen=True)
class _Batch:
    records: list[tuple[ArchiveRecord, dt.date]]
    files: dict[uuid.UUID, list[FileRow]]
    invoices: dict[uuid.UUID, Invoice]
    papers: dict[uuid.UUID, PaperVoucher]
    seals: dict[uuid.UUID, dict[str, Any]]


def _batches(session: Session, plan: ExportPlan) -> Iterator[_Batch]:
    last: tuple[str, int] | None = None
    while True:
        statement = (
            select(ArchiveRecord, col(JournalVoucher.date))
            .join(JournalVoucher, col(JournalVoucher.id) == col(ArchiveRecord.voucher_id))
            .where(
                ArchiveRecord.entity_id == plan.entity_id,
                col(ArchiveRecord.period) >= plan.period_from,
                col(ArchiveRecord.period) <= plan.period_to,
            )
            .order_by(col(ArchiveRecord.period), col(ArchiveRecord.voucher_number))
            .limit(BATCH)
        )
        if last is not None:
            period, number = last
            statement = statement.where(
                or_(
                    col(ArchiveRecord.period) > period,
                    and_(
                        col(ArchiveRecord.period) == period,
                        col(ArchiveRecord.voucher_number) > number,
                    ),
                )
            )
        records = [(r, d) for r, d in session.exec(statement).all()]
        if not records:
            return
        yield _load_batch(session, records)
        last = (records[-1][0].period, records[-1][0].voucher_number)


def _load_batch(session: Session, records: list[tuple[ArchiveRecord, dt.date]]) -> _Batch:
    files: dict[uuid.UUID, list[FileRow]] = defaultdict(list)
    # Plain rows, not ORM objects: six per voucher, and building the objects was a fifth of
    # the export's own time.
    rows = session.execute(
        columns(
            col(ArchiveFile.record_id), col(ArchiveFile.path), col(ArchiveFile.sha256),
            col(ArchiveFile.size), col(ArchiveFile.invoice_id), col(ArchiveFile.paper_voucher_id),
        )
        .where(col(ArchiveFile.record_id).in_([r.id for r, _ in records]))
        .order_by(col(ArchiveFile.record_id), col(ArchiveFile.path))
    ).all()  # fmt: skip
    for row in rows:
        files[row.record_id].append(FileRow(*row[1:]))
    invoice_ids = {f.invoice_id for f in rows if f.invoice_id}
    paper_ids = {f.paper_voucher_id for f in rows if f.paper_voucher_id}
    invoices = session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids))).all()
    papers = session.exec(select(PaperVoucher).where(col(PaperVoucher.id).in_(paper_ids))).all()
    seals = recorded_seals(session, [r.id for r, _ in records])
    return _Batch(records, files, {i.id: i for i in invoices}, {p.id: p for p in papers}, seals)


def _write_batch(
    bag: StreamedBag, index: IndexWriter, totals: _Totals, store: FileStore, batch: _Batch
) -> Iterator[bytes]:
    entries = [
        (f"{safe_name(record.reference)}/{file.path}", record.id, file)
        for record, _ in batch.records
        for file in batch.files.get(record.id, [])
    ]
    fetched = read_ahead(store, (Wanted(file.sha256, file.size) for _, _, file in entries))
    listings: dict[uuid.UUID, bytes] = {}
    for (path, record_id, file), ahead in zip(entries, fetched, strict=True):
        yield from _write_file(bag, store, path, file, ahead)
        if file.path == "metadata.json":
            listing = _listing(store, file, ahead)
            if listing is not None:
                listings[record_id] = listing
    for record, voucher_date in batch.records:
        files = batch.files.get(record.id, [])
        bag.failures.extend(
            _seal_failures(record, batch.seals.get(record.id), files, listings.get(record.id))
        )
        invoices, papers, strays = _documents(safe_name(record.reference), files, batch)
        bag.failures.extend(strays)
        index.add_record(record, voucher_date, safe_name(record.reference), invoices, papers)
        totals.vouchers[record.kind] += 1
        totals.amounts[record.kind] += record.total
        totals.invoices += len(invoices)
        totals.papers += len(papers)


def _documents(
    folder: str, files: list[FileRow], batch: _Batch
) -> tuple[list[Invoice], list[PaperVoucher], list[str]]:
    """The invoices and paper vouchers the record's files belong to, for the index; and the
    file rows that name none that exists, or an invoice whose folder they are not in."""
    invoices: dict[uuid.UUID, Invoice] = {}
    papers: dict[uuid.UUID, PaperVoucher] = {}
    strays = []
    for file in files:
        if file.invoice_id is not None:
            invoice = batch.invoices.get(file.invoice_id)
            if invoice is None or not invoice_holds_path(invoice.invoice_number, file.path):
                strays.append(f"{folder}/{file.path}: the file row names another invoice")
            else:
                invoices.setdefault(invoice.id, invoice)
        if file.paper_voucher_id is not None:
            paper = batch.papers.get(file.paper_voucher_id)
            if paper is None:
                strays.append(f"{folder}/{file.path}: the file row names no paper voucher")
            else:
                papers.setdefault(paper.id, paper)
    return list(invoices.values()), list(papers.values()), strays


def _listing(store: FileStore, file: FileRow, ahead: Fetched) -> bytes | None:
    """The metadata's bytes when they are the recorded ones; read here when the read-ahead
    left them to the writer (a size row edited past its limit must not skip the check)."""
    if ahead.data is not None:
        return ahead.data if ahead.actual_sha256 == file.sha256 else None
    if ahead.missing:
        return None
    try:
        with store.open(file.sha256) as opened:
            data = opened.read(_METADATA_LIMIT + 1)
    except FileNotFoundError:
        return None
    if len(data) > _METADATA_LIMIT:
        return b""  # no metadata this service writes: listed as unreadable, a failure
    return data if hashlib.sha256(data).hexdigest() == file.sha256 else None


def _seal_failures(
    record: ArchiveRecord,
    sealed: dict[str, Any] | None,
    files: list[FileRow],
    listing: bytes | None,
) -> list[str]:
    """What an auditor must not take on trust in this record's folder: a record row other than
    the one the audit chain sealed, or file rows other than those its sealed metadata lists (a
    row pointed at other stored bytes would otherwise travel with a manifest that matches them).
    A metadata file missing or not as recorded is a failure of its own already. The rows the
    record archived (voucher, lines, documents) are compared by `archive verify`."""
    folder = safe_name(record.reference)
    failures = []
    if not as_sealed(record, sealed):
        failures.append(f"{folder}/: the archive record is not the one the audit chain sealed")
    metadata = [file.sha256 for file in files if file.path == "metadata.json"]
    if metadata != [record.metadata_sha256]:
        failures.append(f"{folder}/: the metadata file is not the one the record names")
        return failures
    if listing is None:
        return failures
    listed = listed_files(listing)
    if listed is None or not _as_listed(files, listed):
        failures.append(f"{folder}/: the files are not the ones its sealed metadata lists")
    return failures


def _as_listed(files: list[FileRow], listed: dict[str, Listed]) -> bool:
    """The record's file rows are the ones its sealed metadata lists: the same paths, each with
    the same bytes and, where the listing has it, the same size (the bag's Payload-Oxum)."""
    rows = {file.path: file for file in files if file.path != "metadata.json"}
    return rows.keys() == listed.keys() and all(
        row.sha256 == listed[path].sha256 and listed[path].size in (None, row.size)
        for path, row in rows.items()
    )


def _write_file(
    bag: StreamedBag, store: FileStore, path: str, file: FileRow, ahead: Fetched
) -> Iterator[bytes]:
    if ahead.data is not None:
        source = io.BytesIO(ahead.data)
        yield from bag.add_payload(
            path, source, sha256=file.sha256, size=file.size, actual_sha256=ahead.actual_sha256
        )
        return
    try:
        opened = None if ahead.missing else store.open(file.sha256)
    except FileNotFoundError:
        opened = None
    if opened is None:
        yield from bag.add_payload(path, None, sha256=file.sha256, size=file.size)
        return
    with opened:
        yield from bag.add_payload(path, opened, sha256=file.sha256, size=file.size)


def _bag_info(plan: ExportPlan, totals: _Totals, bag: StreamedBag) -> list[tuple[str, str]]:
    count = sum(totals.vouchers.values())
    return [
        ("Source-Organization", plan.entity_name),
        ("External-Description", f"电子会计档案 {plan.period_from} 至 {plan.period_to}"),
        ("External-Identifier", f"{plan.uscc}-{plan.period_from}-{plan.period_to}"),
        ("Bagging-Date", business_date(plan.exported_at).isoformat()),
        ("Bag-Software-Agent", "railclaim"),
        ("Entity-USCC", plan.uscc),
        ("Fonds-Code", plan.fonds_code),
        ("Period-From", plan.period_from),
        ("Period-To", plan.period_to),
        ("Voucher-Count", str(count)),
        *[(f"{kind.capitalize()}-Voucher-Count", str(totals.vouchers[kind])) for kind in KINDS],
        ("Voucher-Total", str(sum(totals.amounts.values(), Decimal("0.00")))),
        *[(f"{kind.capitalize()}-Total", str(totals.amounts[kind])) for kind in KINDS],
        ("Invoice-Count", str(totals.invoices)),
        ("Paper-Voucher-Count", str(totals.papers)),
        ("Export-Time", plan.exported_at.isoformat()),
        ("Exporter", plan.exporter),
        ("Audit-Chain-Head-Seq", str(plan.head_seq)),
        ("Audit-Chain-Head-MAC", plan.head_mac),
        ("Integrity-Failures", str(len(bag.failures))),
    ]
