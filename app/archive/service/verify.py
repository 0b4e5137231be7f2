"""四性检测 of the archive: authenticity, integrity, usability and security, as one report.

Reads only (run it on the read engine): every stored file is hashed once, however many rows
refer to it, and every failure names the object it concerns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import Select, exists, literal, union_all
from sqlalchemy import select as columns
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.archive import verify_content, verify_records
from app.archive.checkpoint import (
    BY_INVOICE,
    BY_INVOICE_OF_FILE,
    BY_PAPER,
    BY_RECORD,
    Changed,
    Since,
    TamperedCheckpoint,
    last_verified_link,
    made_since,
)
from app.archive.documents import invoice_holds_path
from app.archive.findings import ArchiveReport, Aspect
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.schemas import ArchiveReportOut
from app.archive.verify_periods import check_period_status
from app.audit.chain import GENESIS, ChainHead
from app.audit.models import AuditEvent
from app.audit.service import verify_chain
from app.invoices.models import Invoice, InvoiceFile, PaperVoucher
from app.invoices.parsing import ParseError, parse_file
from app.kit.dates import business_today
from app.storage import FileStore

_CHUNK = 1024 * 1024
_ROWS = 1000


def verify_archive(
    session: Session,
    *,
    store: FileStore,
    key: bytes,
    expected_head: str | None,
    today: dt.date,
    since: Since | None = None,
) -> ArchiveReport:
    """Every check, in order; a failure of one never stops the others.

    With `since` (app/archive/checkpoint.py), only what was added after the last full verify
    that passed: its files, records and vouchers, and the audit chain on from its link."""
    report = ArchiveReport(since=since)
    changed = since.changed if since else None
    checks: list[tuple[str, Aspect, Callable[[], None]]] = [
        ("stored files", "integrity", lambda: check_stored_files(session, store, report, changed)),
        ("XBRL", "authenticity", lambda: check_xbrl(session, store, report, changed)),
        ("invoice files", "integrity", lambda: check_invoice_files(session, report, changed)),
        (
            "archived invoice files",
            "authenticity",
            lambda: check_archived_invoice_files(session, report, changed),
        ),
        (
            "completeness",
            "integrity",
            lambda: verify_records.check_completeness(session, report, today, changed),
        ),
        (
            "archive records",
            "integrity",
            lambda: verify_records.check_records(session, store, report, changed),
        ),
        (
            "records in the audit log",
            "security",
            lambda: verify_content.check_chain_records(
                session, report, since.audit.seq if since else 0
            ),
        ),
        (
            "claim postings",
            "integrity",
            lambda: verify_content.check_claim_postings(session, report),
        ),
        ("period status", "security", lambda: check_period_status(session, report)),
        ("warnings", "usability", lambda: verify_records.add_warnings(session, report, today)),
        (
            "audit chain",
            "security",
            lambda: check_audit_chain(
                session, key, expected_head, report, since.audit if since else GENESIS
            ),
        ),
        ("verified link", "security", lambda: check_verified_link(session, key, report, since)),
    ]
    for name, aspect, check in checks:
        _run_to_the_end(session, report, name, aspect, check)
    return report


def _run_to_the_end(
    session: Session, report: ArchiveReport, name: str, aspect: Aspect, check: Callable[[], None]
) -> None:
    """One check; where it stops on a row no writer of ours produced (text in a number column,
    JSON of another shape), that is a failure of the archive, not a crash of the report."""
    try:
        check()
    except Exception as exc:
        if isinstance(exc, DBAPIError):
            session.rollback()  # PostgreSQL refuses every later statement of a failed one
        detail = f"the check stopped on data it cannot read ({type(exc).__name__}: {exc})"
        report.fail("check-incomplete", name, detail[:300], aspect)


def verify_archive_today(
    read_session: Session, *, store: FileStore, key: bytes, expected_head: str | None
) -> ArchiveReportOut:
    """The full 四性 report as of today, read through `read_session` and closing it after."""
    with read_session:
        report = verify_archive(
            read_session,
            store=store,
            key=key,
            expected_head=expected_head,
            today=business_today(),
        )
    return ArchiveReportOut.of(report)


def _references(session: Session, changed: Changed | None) -> Iterator[Any]:
    """(sha256, source, name, part) of every row that names a stored file (made at or after
    `changed`, when given), grouped by hash."""
    parts: list[Select[Any, Any, Any, Any]] = [
        columns(
            col(ArchiveFile.sha256).label("sha256"),
            literal("archive_file").label("source"),
            col(ArchiveRecord.reference).label("name"),
            col(ArchiveFile.path).label("part"),
        ).join(ArchiveRecord, col(ArchiveRecord.id) == col(ArchiveFile.record_id))
        .where(*made_since(ArchiveRecord.archived_at, changed, logged=BY_RECORD)),
        columns(
            col(InvoiceFile.sha256), literal("invoice_file"), col(Invoice.invoice_number),
            col(InvoiceFile.kind),
        ).join(Invoice, col(Invoice.id) == col(InvoiceFile.invoice_id))
        .where(*made_since(InvoiceFile.created_at, changed, logged=BY_INVOICE_OF_FILE)),
        columns(
            col(Invoice.xbrl_sha256), literal("invoice_xbrl"), col(Invoice.invoice_number),
            literal("xbrl"),
        ).where(
            col(Invoice.xbrl_sha256).is_not(None),
            *made_since(Invoice.created_at, changed, logged=BY_INVOICE),
        ),
        columns(
            col(PaperVoucher.scan_sha256), literal("paper_scan"), col(PaperVoucher.serial_number),
            literal("scan"),
        ).where(
            col(PaperVoucher.scan_sha256).is_not(None),
            *made_since(PaperVoucher.created_at, changed, logged=BY_PAPER),
        ),
    ]  # fmt: skip
    statement = union_all(*parts).order_by("sha256")
    yield from session.execute(statement.execution_options(yield_per=_ROWS))


def _hash_stored(store: FileStore, sha256: str) -> str | None:
    try:
        with store.open(sha256) as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
    except (FileNotFoundError, ValueError):  # ValueError: the row holds no valid hash at all
        return None


def check_stored_files(
    session: Session, store: FileStore, report: ArchiveReport, changed: Changed | None = None
) -> None:
    """Authenticity and integrity: each referenced file is there and hashes to its address."""
    current: str | None = None
    actual: str | None = None
    for sha256, source, name, part in _references(session, changed):
        if sha256 != current:
            current, actual = sha256, _hash_stored(store, sha256)
            report.count("stored_files")
            if actual != sha256:
                report.bad_files.add(sha256)
        report.count(f"{source}s")
        label = f"{source} {name}/{part}"
        if actual is None:
            report.fail("file-missing", label, f"file {sha256} is not in the store", "integrity")
        elif actual != sha256:
            report.fail(
                "file-hash", label, f"content hashes to {actual}, recorded {sha256}", "authenticity"
            )


def check_xbrl(
    session: Session, store: FileStore, report: ArchiveReport, changed: Changed | None = None
) -> None:
    """Usability: each archived XBRL still parses, and names the invoice it is filed under."""
    rows = session.execute(
        select(
            ArchiveFile.sha256, ArchiveRecord.reference, ArchiveFile.path, Invoice.invoice_number
        )
        .join(ArchiveRecord, col(ArchiveRecord.id) == col(ArchiveFile.record_id))
        .join(Invoice, col(Invoice.id) == col(ArchiveFile.invoice_id))
        .where(
            ArchiveFile.role == "invoice-xbrl",
            *made_since(ArchiveRecord.archived_at, changed, logged=BY_RECORD),
        )
        .execution_options(yield_per=_ROWS)
    )
    for sha256, reference, path, number in rows:
        if sha256 in report.bad_files:
            continue
        report.count("xbrl_parsed")
        label = f"archive_file {reference}/{path}"
        try:
            parsed = parse_file(store.get(sha256), "xbrl.xml", cross_check=False)
        except ParseError as exc:
            report.fail("xbrl-unreadable", label, f"{exc.code}: {exc}", "usability")
            continue
        if [p.invoice_number for p in parsed] != [number]:
            report.fail(
                "xbrl-mismatch", label, f"does not read as invoice {number}", "authenticity"
            )


def check_invoice_files(
    session: Session, report: ArchiveReport, changed: Changed | None = None
) -> None:
    """Integrity: each invoice's own file (`invoice.sha256`, its first rendition, which an
    archive seals) is among its file rows, the rows that the downloads serve. A file row
    deleted or pointed at other bytes leaves the invoice without it."""
    own_file = exists().where(
        col(InvoiceFile.invoice_id) == col(Invoice.id),
        col(InvoiceFile.sha256) == col(Invoice.sha256),
    )
    rows = session.execute(
        columns(col(Invoice.invoice_number), col(Invoice.sha256)).where(
            ~own_file, *made_since(Invoice.created_at, changed, logged=BY_INVOICE)
        )
    )
    for number, sha256 in rows:
        report.fail(
            "invoice-file-missing", f"invoice {number}",
            f"no file row holds its own file {sha256}", "integrity",
        )  # fmt: skip


def check_archived_invoice_files(
    session: Session, report: ArchiveReport, changed: Changed | None = None
) -> None:
    """Authenticity: what the downloads serve of an archived invoice is what its record
    archived. Each archived rendition is still the invoice's file of that kind, its archived
    XBRL still the invoice's XBRL, and each such file row names the invoice whose folder holds
    it. A rendition added after the booking is a new kind, and stays allowed."""
    rows = session.execute(
        columns(
            col(ArchiveFile.id), col(ArchiveRecord.reference), col(ArchiveFile.path),
            col(ArchiveFile.role), col(ArchiveFile.sha256), col(Invoice.invoice_number),
            col(Invoice.xbrl_sha256), col(InvoiceFile.kind), col(InvoiceFile.sha256),
        )
        .select_from(ArchiveFile)
        .join(ArchiveRecord, col(ArchiveRecord.id) == col(ArchiveFile.record_id))
        .outerjoin(Invoice, col(Invoice.id) == col(ArchiveFile.invoice_id))
        .outerjoin(InvoiceFile, col(InvoiceFile.invoice_id) == col(Invoice.id))
        .where(
            col(ArchiveFile.role).in_(("invoice-original", "invoice-xbrl")),
            *made_since(ArchiveRecord.archived_at, changed, logged=BY_RECORD),
        )
        .order_by(col(ArchiveFile.id))
        .execution_options(yield_per=_ROWS)
    )  # fmt: skip
    for _file_id, group in groupby(rows, key=lambda row: row[0]):
        live = list(group)
        _, reference, path, role, sha256, number, xbrl_sha256, _kind, _sha = live[0]
        report.count("archived_invoice_files")
        label = f"archive_file {reference}/{path}"
        served = {kind: live_sha for *_, kind, live_sha in live if kind is not None}
        problem = _archived_file_problem(path, role, sha256, number, xbrl_sha256, served)
        if problem is not None:
            report.fail("invoice-file-changed", label, problem, "authenticity")


def _archived_file_problem(
    path: str,
    role: str,
    sha256: str,
    number: str | None,
    xbrl_sha256: str | None,
    served: dict[str, str],
) -> str | None:
    if number is None:
        return "the file row names no invoice that exists"
    if not invoice_holds_path(number, path):
        return f"the file row names invoice {number}, whose folder this is not"
    if role == "invoice-xbrl":
        if xbrl_sha256 != sha256:
            return f"the invoice's XBRL is now {xbrl_sha256}, archived {sha256}"
        return None
    kind = path.rpartition(".")[2]
    if served.get(kind) != sha256:
        now = served.get(kind) or "no file"
        return f"the invoice's {kind} file is now {now}, archived {sha256}"
    return None


def check_audit_chain(
    session: Session,
    key: bytes,
    expected_head: str | None,
    report: ArchiveReport,
    start: ChainHead = GENESIS,
) -> None:
    """Security: the audit log's HMAC chain is whole (and reaches a head recorded earlier);
    from `start` on, when that link was verified before."""
    chain = verify_chain(session, key, expected_head, start=start)
    report.count("audit_events", chain.checked)
    report.audit_head = chain.head
    broken = chain.first_broken
    if broken is not None:
        report.fail(
            "audit-chain", f"audit_event {broken.seq}", f"{broken.reason}: {broken.message}",
            "security",
        )  # fmt: skip


def check_verified_link(
    session: Session, key: bytes, report: ArchiveReport, since: Since | None
) -> None:
    """Security: the audit link the last passed full verify reached is still in the chain.

    A chain cut back behind it, its head row reset to match, links up and reaches its head; only
    a head recorded earlier shows the cut, and the checkpoint is one (--since-last starts there,
    so without this it checked nothing and passed)."""
    link = since.audit if since else last_verified_link(session, key=key)
    if isinstance(link, TamperedCheckpoint):
        report.fail(
            "verify-checkpoint", f"archive_verify_checkpoint {link.checkpoint_id}",
            "does not match its seal", "security",
        )  # fmt: skip
        return
    if link is None or link.seq == 0:
        return
    mac = session.exec(select(AuditEvent.mac).where(AuditEvent.seq == link.seq)).first()
    if mac != link.mac:
        report.fail(
            "audit-chain", f"audit_event {link.seq}",
            "the link the last full verify reached is gone or rewritten: the chain was cut back "
            "or rewritten after that verify", "security",
        )  # fmt: skip
