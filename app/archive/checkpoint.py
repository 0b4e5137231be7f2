"""Where `archive verify --since-last` starts: the last full verify that passed, sealed.

A full verify hashes every stored file, parses every archived XBRL, compares every record's
sealed content with its rows and walks the whole audit chain: tens of seconds at 10,000
vouchers, and a 30-year archive only grows. After one passes, its start time and the audit
link it reached are recorded; --since-last then checks only what was added after that (files,
records and vouchers made since, or named by an audit event after the link, so a timestamp set
back does not hide a row; audit events after the link) and that the chain still runs on from
it. Edits to rows checked before are the full verify's job, which stays what the
auditors' report names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.archive.findings import ArchiveReport
from app.archive.models import ArchiveRecord, VerifyCheckpoint
from app.audit.chain import ChainHead
from app.audit.models import AuditEvent
from app.invoices.models import Invoice, InvoiceFile, PaperVoucher
from app.ledger.models import JournalVoucher
from app.problems import AppError

# Rows stamped shortly before a verify began may commit after its snapshot (a booking that
# was still running): re-checking that much more keeps them from falling between two checks.
OVERLAP = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Changed:
    """The rows a --since-last verify re-checks: made at or after `at`, or named by an audit
    event after the verified link. Timestamps are plain columns a database hand can set back;
    the events are chained, so a row moved behind the checkpoint is still found by them."""

    at: dt.datetime
    logged: dict[str, frozenset[uuid.UUID]] = field(default_factory=dict)


@dataclass(frozen=True)
class Since:
    """What a --since-last verify re-checks: the rows `changed` names, and the audit chain from
    the verified link `audit` on."""

    changed: Changed
    audit: ChainHead
    checkpoint_id: int

    @property
    def changed_since(self) -> dt.datetime:
        return self.changed.at


class NoVerifiedCheckpoint(AppError):
    status, slug = 409, "no-verified-checkpoint"
    title = "No verified checkpoint"
    explanation = "`archive verify --since-last` needs a full verify that passed before it."


# The objects whose rows --since-last re-checks by the audit events that name them, each with
# the (id, made-at) columns of its rows: an object counts as set back when any of them is.
_LOGGED: dict[str, tuple[tuple[Any, Any], ...]] = {
    "archive_record": ((ArchiveRecord.id, ArchiveRecord.archived_at),),
    "invoice": ((Invoice.id, Invoice.created_at), (InvoiceFile.invoice_id, InvoiceFile.created_at)),
    "paper_voucher": ((PaperVoucher.id, PaperVoucher.created_at),),
    "voucher": ((JournalVoucher.id, JournalVoucher.created_at),),
}
# What `made_since(..., logged=...)` takes: an object type and the column holding its id.
BY_RECORD = ("archive_record", ArchiveRecord.id)
BY_INVOICE = ("invoice", Invoice.id)
BY_INVOICE_OF_FILE = ("invoice", InvoiceFile.invoice_id)
BY_PAPER = ("paper_voucher", PaperVoucher.id)
BY_VOUCHER = ("voucher", JournalVoucher.id)
# Ids per statement: well under PostgreSQL's 65,535 bind parameters.
_ID_CHUNK = 5000


def made_since(
    column: Any, changed: Changed | None, *, logged: tuple[str, Any] | None = None
) -> list[Any]:
    """The WHERE clause that keeps rows made at or after `changed` and, with `logged` (an
    object type and the row's id column), those its audit events name; none for a full verify."""
    if changed is None:
        return []
    recent = col(column) >= changed.at
    ids = changed.logged.get(logged[0], frozenset()) if logged else frozenset()
    return [or_(recent, col(logged[1]).in_(ids))] if logged and ids else [recent]


def _set_back(session: Session, seq: int, at: dt.datetime) -> dict[str, frozenset[uuid.UUID]]:
    """The objects an audit event after `seq` names whose rows say they were made before `at`:
    rows made since are found by their timestamps anyway, so only these need naming (usually
    none, so the re-check's statements stay as small as its window)."""
    named: dict[str, set[uuid.UUID]] = {}
    events = session.exec(
        select(AuditEvent.object_type, AuditEvent.object_id).where(
            AuditEvent.seq > seq, col(AuditEvent.object_type).in_(list(_LOGGED))
        )
    )
    for object_type, object_id in events:
        try:
            named.setdefault(object_type, set()).add(uuid.UUID(object_id or ""))
        except ValueError:
            continue  # an id that names no row: the chain walk judges the event itself
    found: dict[str, frozenset[uuid.UUID]] = {}
    for kind, ids in named.items():
        older: set[uuid.UUID] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), _ID_CHUNK):
            chunk = ordered[start : start + _ID_CHUNK]
            for id_column, made_column in _LOGGED[kind]:
                statement = columns(id_column).where(
                    col(id_column).in_(chunk), col(made_column) < at
                )
                older.update(session.execute(statement).scalars())
        if older:
            found[kind] = frozenset(older)
    return found


def record_full_verify(
    session: Session, report: ArchiveReport, *, started_at: dt.datetime, key: bytes
) -> VerifyCheckpoint | None:
    """Records a passed full verify as the next --since-last's start; None when it failed."""
    if not report.ok or report.audit_head is None:
        return None
    row = VerifyCheckpoint(
        started_at=started_at,
        audit_seq=report.audit_head.seq,
        audit_mac=report.audit_head.mac,
        archive_records=report.checked.get("archive_records", 0),
        stored_files=report.checked.get("stored_files", 0),
        seal="",
    )
    row.seal = _seal(key, row)
    session.add(row)
    session.commit()
    return row


def since_last_full_verify(session: Session, *, key: bytes) -> Since:
    """The start of a --since-last verify; a problem when there is none or it was tampered with."""
    try:
        row = _latest(session)
    except (ValueError, TypeError) as exc:  # SQLite keeps any text in a timestamp column
        raise NoVerifiedCheckpoint(
            "The recorded verify checkpoint cannot be read (it was altered): run a full "
            "`railclaim archive verify`."
        ) from exc
    if row is None:
        raise NoVerifiedCheckpoint(
            "No full verify has passed yet: run `railclaim archive verify` once first."
        )
    if not _seal_holds(key, row):
        raise NoVerifiedCheckpoint(
            f"The recorded verify checkpoint {row.id} does not match its seal: "
            "run a full `railclaim archive verify`."
        )
    assert row.id is not None
    at = row.started_at - OVERLAP
    changed = Changed(at, _set_back(session, row.audit_seq, at))
    return Since(changed, ChainHead(row.audit_seq, row.audit_mac), row.id)


@dataclass(frozen=True)
class TamperedCheckpoint:
    checkpoint_id: int | None


def last_verified_link(session: Session, *, key: bytes) -> ChainHead | TamperedCheckpoint | None:
    """The audit link the last passed full verify reached, which the chain must still hold (a
    full verify checks it is there: a chain cut back behind it was cut after that verify)."""
    row = _latest(session)
    if row is None:
        return None
    if not _seal_holds(key, row):
        return TamperedCheckpoint(row.id)
    return ChainHead(row.audit_seq, row.audit_mac)


def _latest(session: Session) -> VerifyCheckpoint | None:
    return session.exec(
        select(VerifyCheckpoint).order_by(col(VerifyCheckpoint.id).desc()).limit(1)
    ).first()


def _seal_holds(key: bytes, row: VerifyCheckpoint) -> bool:
    return hmac.compare_digest(row.seal, _seal(key, row))


def _seal(key: bytes, row: VerifyCheckpoint) -> str:
    fields = [
        "archive-verify-checkpoint",
        row.started_at.astimezone(dt.UTC).isoformat(),
        str(row.audit_seq),
        row.audit_mac,
        str(row.archive_records),
        str(row.stored_files),
    ]
    return hmac.new(key, "\n".join(fields).encode(), hashlib.sha256).hexdigest()
