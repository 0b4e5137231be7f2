"""Upload commands: parse, verify, store the bytes durably, then record the invoice."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import begin_read
from app.invoices.errors import FileRefused
from app.invoices.intake import (
    Acceptance,
    Ingested,
    IntakeContext,
    check_acceptable,
    ingest_parsed,
)
from app.invoices.models import Invoice
from app.invoices.parsing import (
    ParsedInvoice,
    ParseError,
    ParseLimits,
    UnreadableFile,
    detect_kind,
    parse_file,
)
from app.invoices.verification.offline import OfflineProvider
from app.invoices.verification.provider import VerificationProvider, VerificationResult
from app.problems import AppError, problem_body
from app.storage import FileStore

# Concurrent uploads of one invoice collide on unique constraints; a retry sees the winner.
INGEST_ATTEMPTS = 3


@dataclass(frozen=True)
class UploadServices:
    store: FileStore
    verifier: VerificationProvider
    limits: ParseLimits


@dataclass(frozen=True)
class ItemResult:
    file: str
    member: str | None
    outcome: str
    invoice: Invoice | None = None
    problem: dict[str, object] | None = None


def is_bundle(data: bytes) -> bool:
    try:
        return detect_kind(data) == "zip"
    except ParseError:
        return False


def upload_invoice(
    session: Session, ctx: IntakeContext, services: UploadServices, filename: str, data: bytes
) -> Ingested:
    """One PDF, OFD or XML file: the invoice created, or extended by a new rendition."""
    try:
        parsed = the_only_invoice(parse_file(data, filename, limits=services.limits))
    except ParseError as exc:
        raise FileRefused(exc) from exc
    verification, accepted = _check_and_verify(session, ctx, services.verifier, parsed)
    xbrl_sha = _store_bytes(services.store, parsed)
    try:
        result = ingest_with_retries(
            session, ctx, parsed, verification, xbrl_sha, accepted, savepoint=False
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


def the_only_invoice(parsed: list[ParsedInvoice]) -> ParsedInvoice:
    """An upload or batch member is one invoice; a file holding several is refused."""
    if len(parsed) != 1:
        raise UnreadableFile("the file holds more than one invoice")
    return parsed[0]


def ingest_with_retries(
    session: Session,
    ctx: IntakeContext,
    parsed: ParsedInvoice,
    verification: VerificationResult,
    xbrl_sha256: str | None,
    accepted: Acceptance | None,
    *,
    savepoint: bool,
) -> Ingested:
    """`ingest_parsed`, retried when a concurrent upload (or a twin earlier in a batch) won.

    A lost race fails on a unique constraint and the retry decides afresh from what the winner
    stored. With `savepoint` only this invoice is undone (a batch's other members stay);
    without, the whole transaction is, which a single upload can afford and which saves two
    statements. The caller commits.
    """
    for attempt in range(INGEST_ATTEMPTS):
        scope = session.begin_nested() if savepoint else contextlib.nullcontext()
        try:
            with scope:
                return ingest_parsed(
                    session,
                    ctx,
                    parsed,
                    verification,
                    xbrl_sha256,
                    accepted if attempt == 0 else None,
                )
        except IntegrityError:
            if not savepoint:
                session.rollback()
            if attempt == INGEST_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _check_and_verify(
    session: Session, ctx: IntakeContext, verifier: VerificationProvider, parsed: ParsedInvoice
) -> tuple[VerificationResult, Acceptance | None]:
    """Refuses what a read can refuse before any bytes are stored, then asks 查验 if new."""
    begin_read(session)
    try:
        accepted = check_acceptable(session, ctx, parsed)
    except BaseException:
        session.rollback()
        raise
    # End the read before any network call, so no transaction (or SQLite lock) waits on it.
    # Nothing was written; a commit rather than a rollback keeps the loaded rows unexpired.
    session.commit()
    return verify(verifier, parsed, accepted), accepted


def verify(
    verifier: VerificationProvider, parsed: ParsedInvoice, accepted: Acceptance | None
) -> VerificationResult:
    """查验 for a new invoice; a known one (a rendition joining it) was verified when stored."""
    if accepted is None:
        return OfflineProvider().verify(parsed)
    return verifier.verify(parsed)


def _store_bytes(store: FileStore, parsed: ParsedInvoice) -> str | None:
    """Durable before the row that refers to it: a crash leaves at most an unreferenced file."""
    for rendition in parsed.renditions:
        store.put(rendition.data)
    if parsed.xbrl is None:
        return None
    return store.put(parsed.xbrl)


def rejected_item(filename: str, member: str | None, exc: AppError) -> ItemResult:
    outcome = "duplicate" if exc.slug == "duplicate-invoice" else "rejected"
    return ItemResult(filename, member, outcome, problem=problem_body(exc))
