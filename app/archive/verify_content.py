"""四性 checks of the rows behind the records: what each sealed still matches the tables.

The seals live in the audit chain (app/archive/seal.py), so a database superuser who rewrites
rows and records together, or deletes a voucher with everything of it, still disagrees with a
chain whose MACs he cannot recompute. Rows are read a batch of records at a time, a few IN
queries per batch, never one query per record.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, exists, or_
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from app.archive.findings import ArchiveReport
from app.archive.models import ArchiveRecord
from app.archive.seal import (
    CLAIM_FIELDS_BY_VERSION,
    STATE_OF_KIND,
    STATES_AFTER,
    SealedRows,
    booked_key,
    content_seal,
    line_document_keys,
)
from app.audit.models import AuditEvent
from app.claims.models import Claim
from app.invoices.models import Invoice, PaperVoucher
from app.ledger.models import BookedDocument, JournalLine, JournalVoucher

_BATCH = 500
_EXAMPLES = 5
Document = Invoice | PaperVoucher


@dataclass
class _Rows:
    """A batch's rows, keyed the way the seal names them."""

    vouchers: dict[uuid.UUID, JournalVoucher]
    lines: dict[uuid.UUID, list[JournalLine]]
    documents: dict[str, Document]
    marks: dict[str, BookedDocument]
    marks_of_voucher: dict[uuid.UUID, list[str]]
    claims: dict[uuid.UUID, Claim]

    def of(self, record: ArchiveRecord, sealed_keys: Iterable[str]) -> SealedRows:
        voucher = self.vouchers.get(record.voucher_id)
        lines = self.lines.get(record.voucher_id, [])
        scope = [*sealed_keys, *line_document_keys(lines)]
        scope += self.marks_of_voucher.get(record.voucher_id, [])
        keys = sorted(set(scope))
        claim_id = record.claim_id or (voucher.claim_id if voucher else None)
        return SealedRows(
            record=record,
            voucher=voucher,
            lines=lines,
            documents={key: self.documents.get(key) for key in keys},
            booked={key: self.marks[key] for key in keys if key in self.marks},
            claim=self.claims.get(claim_id) if claim_id else None,
        )


@dataclass
class ContentCheck:
    """Compares each record's rows with its seal; remembers records sealed before seals held
    content (installations older than issue 15), which are warned about once at the end."""

    report: ArchiveReport
    uscc: dict[uuid.UUID, str]
    unsealed: list[str] = field(default_factory=list)

    def check_batch(
        self,
        session: Session,
        batch: Sequence[ArchiveRecord],
        seals: dict[uuid.UUID, dict[str, Any]],
    ) -> None:
        contents = {r.id: _content_of(seals.get(r.id)) for r in batch}
        rows = _load(session, batch, contents)
        for record in batch:
            if record.id not in seals:
                continue  # no event seals it: the archive-seal check has named it
            sealed = contents[record.id]
            current = rows.of(record, sealed["documents"] if sealed else ())
            self._check_claim_state(record, current.claim, sealed)
            if sealed is None:
                self.report.count("content_unsealed")
                if len(self.unsealed) < _EXAMPLES:
                    self.unsealed.append(record.reference)
                continue
            self.report.count("content_seals")
            self._compare(current, sealed)

    def finish(self) -> None:
        count = self.report.checked.get("content_unsealed", 0)
        if count:
            self.report.warn(
                "sealed-before-content-seal", "archive",
                f"{count} records were archived before records sealed their rows (e.g. "
                f"{', '.join(self.unsealed)}): their files and metadata are verified, their "
                "vouchers, lines and documents only as their files show them", "authenticity",
            )  # fmt: skip

    def _check_claim_state(
        self, record: ArchiveRecord, claim: Claim | None, sealed: dict[str, Any] | None
    ) -> None:
        state = sealed.get("claim_state") if sealed else STATE_OF_KIND.get(record.kind)
        if record.claim_id is None or not isinstance(state, str):
            return
        if claim is None:
            self.report.fail(
                "claim-state", f"claim {record.claim_id}",
                f"archive_record {record.reference} sealed it {state}; the claim is gone",
                "integrity",
            )  # fmt: skip
        elif claim.state not in STATES_AFTER.get(state, frozenset({state})):
            self.report.fail(
                "claim-state", f"claim {claim.id}",
                f"the claim is {claim.state}, but archive_record {record.reference} sealed it "
                f"{state}", "authenticity",
            )  # fmt: skip

    def _compare(self, current: SealedRows, sealed: dict[str, Any]) -> None:
        version = sealed.get("version", 1)
        if version not in CLAIM_FIELDS_BY_VERSION:
            self.report.fail(
                "content-seal", f"archive_record {current.record.reference}",
                f"sealed by a seal version this service does not know ({version!r})",
                "authenticity",
            )  # fmt: skip
            return
        found = content_seal(current, version)
        record = current.record
        fail = self.report.fail
        if found["record"] != sealed.get("record"):
            fail("content-seal", f"archive_record {record.reference}",
                 "the record's row (number, total, retention, files or metadata hash) differs "
                 "from the one sealed", "authenticity")  # fmt: skip
        voucher = f"voucher {self.uscc.get(record.entity_id, '?')} {record.voucher_number_text}"
        if current.voucher is None:
            fail("content-seal", voucher, f"archive_record {record.reference} sealed it; the "
                 "voucher is gone", "integrity")  # fmt: skip
        elif found["voucher"] != sealed.get("voucher"):
            fail("content-seal", voucher, "the voucher's row (date, amounts, people or number) "
                 "differs from the one sealed", "authenticity")  # fmt: skip
        if found["lines"] != sealed.get("lines"):
            fail("content-seal", voucher, f"its journal lines differ from the "
                 f"{sealed.get('line_count')} sealed ({found['line_count']} now)",
                 "authenticity")  # fmt: skip
        self._compare_documents(current, found["documents"], sealed.get("documents") or {})
        if found["claim"] != sealed.get("claim"):
            fail("content-seal", f"claim {record.claim_id}", f"the claim's row differs from the "
                 f"one archive_record {record.reference} sealed", "authenticity")  # fmt: skip

    def _compare_documents(
        self, current: SealedRows, found: dict[str, str], sealed: dict[str, str]
    ) -> None:
        for key in sorted(found.keys() | sealed.keys()):
            if found.get(key) == sealed.get(key):
                continue
            document = current.documents.get(key)
            if key not in sealed:
                message = "was not part of it when it was sealed"
            elif document is None:
                message = "is gone"
            else:
                message = "differs from the one sealed (fields or its booked mark)"
            self.report.fail(
                "content-seal", _document_label(key, document),
                f"a document of archive_record {current.record.reference} {message}",
                "authenticity",
            )  # fmt: skip


def _content_of(details: dict[str, Any] | None) -> dict[str, Any] | None:
    content = details.get("content") if details else None
    if not isinstance(content, dict):
        return None
    documents = content.get("documents")
    return {**content, "documents": documents if isinstance(documents, dict) else {}}


def _document_label(key: str, document: Document | None) -> str:
    if isinstance(document, Invoice):
        return f"invoice {document.invoice_number}"
    if isinstance(document, PaperVoucher):
        return f"paper_voucher {document.serial_number}"
    kind, _, document_id = key.partition(":")
    return f"{kind} {document_id}"


def _ids(keys: Iterable[str], kind: str) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for key in keys:
        prefix, _, value = key.partition(":")
        if prefix == kind:
            try:
                found.add(uuid.UUID(value))
            except ValueError:
                continue  # not written by this service; compared (and failed) as is
    return found


def _load(
    session: Session, batch: Sequence[ArchiveRecord], contents: dict[uuid.UUID, Any]
) -> _Rows:
    voucher_ids = [r.voucher_id for r in batch]
    found = session.exec(select(JournalVoucher).where(col(JournalVoucher.id).in_(voucher_ids)))
    vouchers = {v.id: v for v in found}
    lines: dict[uuid.UUID, list[JournalLine]] = defaultdict(list)
    statement = select(JournalLine).where(col(JournalLine.voucher_id).in_(voucher_ids))
    for line in session.exec(statement):
        lines[line.voucher_id].append(line)
    keys = {key for c in contents.values() if c for key in c["documents"]}
    keys |= {key for ls in lines.values() for key in line_document_keys(ls)}
    marks = _marks(session, voucher_ids, keys)
    marks_of_voucher: dict[uuid.UUID, list[str]] = defaultdict(list)
    for key, mark in marks.items():
        marks_of_voucher[mark.voucher_id].append(key)
    keys |= marks.keys()
    claim_ids = {r.claim_id for r in batch} | {v.claim_id for v in vouchers.values()}
    claims = session.exec(select(Claim).where(col(Claim.id).in_(claim_ids - {None})))
    return _Rows(
        vouchers=vouchers,
        lines=lines,
        documents=_documents(session, keys),
        marks=marks,
        marks_of_voucher=marks_of_voucher,
        claims={c.id: c for c in claims},
    )


def _marks(
    session: Session, voucher_ids: list[uuid.UUID], keys: set[str]
) -> dict[str, BookedDocument]:
    rows = session.exec(
        select(BookedDocument).where(
            or_(
                col(BookedDocument.voucher_id).in_(voucher_ids),
                col(BookedDocument.invoice_id).in_(_ids(keys, "invoice")),
                col(BookedDocument.paper_voucher_id).in_(_ids(keys, "paper_voucher")),
            )
        )
    )
    return {booked_key(row): row for row in rows}


def _documents(session: Session, keys: set[str]) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    invoice_ids, paper_ids = _ids(keys, "invoice"), _ids(keys, "paper_voucher")
    if invoice_ids:
        for invoice in session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids))):
            documents[f"invoice:{invoice.id}"] = invoice
    if paper_ids:
        for paper in session.exec(select(PaperVoucher).where(col(PaperVoucher.id).in_(paper_ids))):
            documents[f"paper_voucher:{paper.id}"] = paper
    return documents


def check_chain_records(session: Session, report: ArchiveReport, after_seq: int = 0) -> None:
    """Integrity: every record the chain saw archived (after event `after_seq`) is still there,
    unless the chain also saw it purged after its retention. Catches a voucher deleted with
    everything of it."""
    events = AuditEvent.__table__  # type: ignore[attr-defined]
    last = after_seq
    while True:
        batch = session.execute(
            columns(events.c.seq, events.c.object_id, events.c.details)
            .where(events.c.action == "archive.recorded", events.c.seq > last)
            .order_by(events.c.seq)
            .limit(_BATCH)
        ).all()
        if not batch:
            return
        last = batch[-1].seq
        report.count("chain_records", len(batch))
        for seq, details in _missing(session, batch):
            report.fail(
                "archive-record-missing", f"archive_record {details.get('reference')}",
                f"the audit chain recorded it (event {seq}, voucher {details.get('voucher')}) "
                "and no purge; the tables lack it", "integrity",
            )  # fmt: skip


def _missing(session: Session, batch: Sequence[Any]) -> list[tuple[int, dict[str, Any]]]:
    ids: dict[str, uuid.UUID | None] = {}
    for row in batch:
        try:
            ids[row.object_id] = uuid.UUID(row.object_id)
        except (TypeError, ValueError):
            ids[row.object_id] = None
    present = session.exec(
        select(ArchiveRecord.id).where(col(ArchiveRecord.id).in_({i for i in ids.values() if i}))
    ).all()
    purged = session.exec(
        select(AuditEvent.object_id).where(
            AuditEvent.action == "archive.purged",
            AuditEvent.object_type == "archive_record",
            col(AuditEvent.object_id).in_(list(ids)),
        )
    ).all()
    kept = set(present)
    return [
        (row.seq, row.details if isinstance(row.details, dict) else {})
        for row in batch
        if ids[row.object_id] not in kept and row.object_id not in set(purged)
    ]


def check_claim_postings(session: Session, report: ArchiveReport) -> None:
    """Authenticity: a booked claim has a booking voucher, a paid one a payment voucher (each
    voucher in turn has its sealed record: a state set forward by hand has neither)."""
    needed = case((col(Claim.state) == "paid", "payment"), else_="booking")
    posted = exists().where(
        col(JournalVoucher.claim_id) == col(Claim.id), col(JournalVoucher.kind) == needed
    )
    rows = session.execute(
        columns(col(Claim.id), col(Claim.state)).where(
            col(Claim.state).in_(("booked", "paid")), ~posted
        )
    )
    for claim_id, state in rows:
        kind = "payment" if state == "paid" else "booking"
        report.fail(
            "claim-state", f"claim {claim_id}", f"the claim is {state} but has no {kind} "
            "voucher", "authenticity",
        )  # fmt: skip
