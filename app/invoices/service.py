"""The invoice package's commands: uploading one file, or a batch of files and ZIPs; finance
settling the business type of an invoice whose files disagree on it (the 用途确认 is the
ledger's: app/ledger/deduction.py).

Each upload runs the same four steps and commits once: parse; decide by reading (refusals raised
before any bytes are stored, the read ended before any 查验 network call); store the bytes
durably; record the decided rows. A crash between storing and committing leaves at most an
unreferenced file, which `storage gc` removes.

A batch takes its members in by groups: a group is decided by reads alone, its bytes
are stored in parallel (their fsyncs overlap instead of queueing), then one write transaction
records the members, each under its own savepoint, so a refused member or one that lost a
race never sinks the others.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlmodel import Session

from app.audit.service import AuditedObject, EventRecorder
from app.auth.principal import Principal
from app.db import begin_read, utcnow
from app.invoices.batch_members import (
    ItemResult,
    Member,
    expand_members,
    is_bundle,
    parse_members,
    pending,
    rejected_item,
    the_only_invoice,
)
from app.invoices.decision import IntakeContext, IntakeDecision, NewInvoice, decide_intake
from app.invoices.errors import FileRefused, InvoiceStateConflict
from app.invoices.linking import relink_for_business_type
from app.invoices.models import Invoice
from app.invoices.parsing import BusinessType, ParsedInvoice, ParseError, ParseLimits, parse_file
from app.invoices.queries import get_visible_invoice
from app.invoices.recording import Ingested, record_intake
from app.invoices.tickets import E_INVOICE, hold_ticket, ticket_key
from app.invoices.verification.offline import OfflineProvider
from app.invoices.verification.provider import VerificationProvider, VerificationResult
from app.invoices.warnings import drop_warning
from app.problems import AppError
from app.storage import FileStore

__all__ = ["Ingested", "IntakeContext", "ItemResult", "UploadServices", "is_bundle"]

# Large enough to amortize a transaction, small enough that SQLite's write lock is never held
# for long against single uploads (50 members at about 13 ms each on the 2-core bench machine).
GROUP_SIZE = 50
_STORE_THREADS = 8


@dataclass(frozen=True)
class UploadServices:
    store: FileStore
    verifier: VerificationProvider
    limits: ParseLimits


def upload_invoice(
    session: Session, ctx: IntakeContext, services: UploadServices, filename: str, data: bytes
) -> Ingested:
    """One PDF, OFD or XML file: the invoice created, or extended by a new rendition."""
    try:
        parsed = the_only_invoice(parse_file(data, filename, limits=services.limits))
    except ParseError as exc:
        raise FileRefused(exc) from exc
    begin_read(session)
    try:
        decision = decide_intake(session, ctx, parsed)
    except BaseException:
        session.rollback()
        raise
    # Nothing was written; a commit rather than a rollback keeps the loaded rows unexpired.
    session.commit()
    verification = _verify(services.verifier, parsed, decision)
    xbrl_sha256 = _store_bytes(services.store, parsed)
    try:
        result = record_intake(
            session, ctx, parsed, decision, verification, xbrl_sha256, savepoint=False
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


def upload_batch(
    session: Session,
    ctx: IntakeContext,
    services: UploadServices,
    files: list[tuple[str, bytes]],
) -> tuple[list[ItemResult], dict[str, int]]:
    """Every file and ZIP member on its own: one bad member never sinks the rest."""
    members = list(expand_members(files, services.limits))
    outcomes = parse_members([m for m in members if m.result is None], services.limits)
    # Closed on the way out, also on an error: a background parse stops with the request.
    with contextlib.closing(outcomes):
        for start in range(0, len(members), GROUP_SIZE):
            group = members[start : start + GROUP_SIZE]
            for m in pending(group):
                m.take_parse(next(outcomes))
            _decide_group(session, ctx, services, group)
            _store_group_bytes(services.store, group)
            _record_group(session, ctx, group)
    results = [m.result for m in members if m.result is not None]
    counts = Counter(r.outcome for r in results)
    return results, {
        k: counts.get(k, 0) for k in ("created", "rendition-added", "duplicate", "rejected")
    }


def _verify(
    verifier: VerificationProvider, parsed: ParsedInvoice, decision: IntakeDecision
) -> VerificationResult:
    """查验 for a new invoice; a known one (a rendition joining it) was verified when stored."""
    if isinstance(decision, NewInvoice):
        return verifier.verify(parsed)
    return OfflineProvider().verify(parsed)


def _store_bytes(store: FileStore, parsed: ParsedInvoice) -> str | None:
    """Durable before the row that refers to it: a crash leaves at most an unreferenced file."""
    for rendition in parsed.renditions:
        store.put(rendition.data)
    if parsed.xbrl is None:
        return None
    return store.put(parsed.xbrl)


def _decide_group(
    session: Session, ctx: IntakeContext, services: UploadServices, group: list[Member]
) -> None:
    """The group's decisions by reads alone (see `begin_read`), ended before any 查验 call."""
    begin_read(session)
    try:
        for m in pending(group):
            assert m.parsed is not None
            try:
                m.decision = decide_intake(session, ctx, m.parsed)
            except AppError as exc:
                m.reject(exc)
    except BaseException:
        session.rollback()
        raise
    # A commit, not a rollback: nothing was written, and loaded rows stay unexpired.
    session.commit()
    for m in pending(group):
        assert m.parsed is not None
        assert m.decision is not None
        m.verification = _verify(services.verifier, m.parsed, m.decision)


def _store_group_bytes(store: FileStore, group: list[Member]) -> None:
    """Durable before the rows that refer to them; the fsyncs of a group overlap."""
    jobs: list[tuple[Member | None, bytes]] = []  # the member is named for its XBRL only
    for m in pending(group):
        assert m.parsed is not None
        jobs.extend((None, r.data) for r in m.parsed.renditions)
        if m.parsed.xbrl is not None:
            jobs.append((m, m.parsed.xbrl))
    with ThreadPoolExecutor(max_workers=_STORE_THREADS) as pool:
        shas = list(pool.map(store.put, [blob for _, blob in jobs]))
    for (xbrl_of, _), sha256 in zip(jobs, shas, strict=True):
        if xbrl_of is not None:
            xbrl_of.xbrl_sha256 = sha256


def _record_group(session: Session, ctx: IntakeContext, group: list[Member]) -> None:
    """One write transaction for the group, a savepoint per member."""
    try:
        for m in pending(group):
            m.result = _record_member(session, ctx, m)
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _record_member(session: Session, ctx: IntakeContext, m: Member) -> ItemResult:
    assert m.parsed is not None
    assert m.decision is not None
    assert m.verification is not None
    try:
        ingested = record_intake(
            session, ctx, m.parsed, m.decision, m.verification, m.xbrl_sha256, savepoint=True
        )
    except AppError as exc:
        return rejected_item(m.filename, m.member, exc)
    return ItemResult(m.filename, m.member, ingested.outcome, ingested.invoice)


UNCLEAR = "business-type-unclear"
# Raised for a sale only: once finance names a fee, the premise is gone.
_SALE_ONLY_WARNINGS = ("issue-before-travel",)


def settle_business_type(
    session: Session,
    principal: Principal,
    invoice_id: uuid.UUID,
    business_type: BusinessType,
    comment: str | None,
    audit_key: bytes,
) -> Invoice:
    """Finance sets the business type of an invoice flagged `business-type-unclear`: the XBRL's
    TypeOfBusiness and the face's evidence (the label carrying the amount, the red markers)
    contradict each other, and claims holding the invoice are blocked until finance has read the
    document."""
    invoice = get_visible_invoice(session, principal, invoice_id)
    if not any(w["code"] == UNCLEAR for w in invoice.warnings):
        raise InvoiceStateConflict(
            "Only an invoice whose business type is unclear takes a business type from finance.",
            invoice_status=invoice.status,
        )
    if invoice.status == "booked":
        raise InvoiceStateConflict(
            "A booked invoice keeps its business type; reverse its voucher first.",
            invoice_status="booked",
        )
    previous, previous_key = invoice.business_type, invoice.ticket_key
    invoice.business_type = business_type
    if not invoice.is_red_letter:
        invoice.ticket_key = ticket_key(invoice.e_ticket_number, business_type, invoice.kind)
        if invoice.ticket_key is not None and invoice.ticket_key != previous_key:
            hold_ticket(
                session, principal, invoice.ticket_key, E_INVOICE
            )  # 409 if a paper voucher has it
    drop_warning(invoice, UNCLEAR)
    if business_type != "sale":
        for code in _SALE_ONLY_WARNINGS:
            drop_warning(invoice, code)
    invoice.updated_at = utcnow()
    relink_for_business_type(session, invoice, previous_key)
    EventRecorder(principal.user, audit_key).record(
        session,
        "invoice.business-type-set",
        AuditedObject("invoice", invoice.id, invoice.entity_id),
        details={"business_type": business_type, "previous": previous, "comment": comment},
    )
    session.commit()
    return invoice
