"""Batch uploads: every file and ZIP member stands alone, and members are taken in by groups.

A group of members is checked in one read transaction, its bytes are stored in parallel (their
fsyncs overlap instead of queueing), then one write transaction takes the members in, each under
its own savepoint, so a refused member or one that lost a race never sinks the others. As for a
single upload, the group's rows commit only after all of its bytes are durable. Per member this
saves two transactions and a serial fsync wait, most of a member's cost beside its parse.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlmodel import Session

from app.db import begin_read
from app.invoices.errors import FileRefused
from app.invoices.intake import Acceptance, IntakeContext, check_acceptable
from app.invoices.parsing import (
    ParsedInvoice,
    ParseError,
    ParseLimits,
    UnreadableFile,
    bundle_members,
)
from app.invoices.parsing.parallel import ParseOutcome, parse_in_background, parse_outcome
from app.invoices.uploads import (
    ItemResult,
    UploadServices,
    ingest_with_retries,
    is_bundle,
    rejected_item,
    the_only_invoice,
    verify,
)
from app.invoices.verification.provider import VerificationResult
from app.kit.filenames import without_hidden_controls
from app.problems import AppError
from app.storage import FileStore

# Large enough to amortize a transaction, small enough that SQLite's write lock is never held
# for long against single uploads (50 members at about 13 ms each on the 2-core bench machine).
GROUP_SIZE = 50
_STORE_THREADS = 8
# From this many members on, parsing moves to a second process (see _parse_all); below, the
# worker's start would cost more than the overlap saves.
PARALLEL_PARSE_FROM = 200
_NESTED_ZIP = "a ZIP inside a ZIP is not read (one level only)"


@dataclass
class _Member:
    """One file or ZIP member on its way in; `result` is set once it is decided."""

    filename: str
    member: str | None
    data: bytes
    parsed: ParsedInvoice | None = None
    accepted: Acceptance | None = None
    verification: VerificationResult | None = None
    xbrl_sha256: str | None = None
    result: ItemResult | None = None

    def reject(self, exc: AppError) -> None:
        self.result = rejected_item(self.filename, self.member, exc)

    def take_parse(self, outcome: ParseOutcome) -> None:
        try:
            if isinstance(outcome, ParseError):
                raise outcome
            self.parsed = the_only_invoice(outcome)
        except ParseError as exc:
            self.reject(FileRefused(exc))


def upload_batch(
    session: Session,
    ctx: IntakeContext,
    services: UploadServices,
    files: list[tuple[str, bytes]],
) -> tuple[list[ItemResult], dict[str, int]]:
    """Every file and ZIP member on its own: one bad member never sinks the rest."""
    members = list(_members(files, services.limits))
    outcomes = _parse_all([m for m in members if m.result is None], services.limits)
    # Closed on the way out, also on an error: a background parse stops with the request.
    with contextlib.closing(outcomes):
        for start in range(0, len(members), GROUP_SIZE):
            group = members[start : start + GROUP_SIZE]
            for m in _pending(group):
                m.take_parse(next(outcomes))
            _check_group(session, ctx, services, group)
            _store_group_bytes(services.store, group)
            _record_group(session, ctx, group)
    results = [m.result for m in members if m.result is not None]
    counts = Counter(r.outcome for r in results)
    return results, {
        k: counts.get(k, 0) for k in ("created", "rendition-added", "duplicate", "rejected")
    }


def _members(files: list[tuple[str, bytes]], limits: ParseLimits) -> Iterator[_Member]:
    for received_name, data in files:
        # Names are echoed in results and pages: a bidi override there would disguise them.
        filename = without_hidden_controls(received_name)
        if not is_bundle(data):
            yield _Member(filename, None, data)
            continue
        try:
            for entry in bundle_members(data, limits):
                member = _Member(filename, without_hidden_controls(entry.name), entry.data)
                if is_bundle(entry.data):
                    member.reject(FileRefused(UnreadableFile(_NESTED_ZIP)))
                yield member
        except ParseError as exc:
            rejected = _Member(filename, None, b"")
            rejected.reject(FileRefused(exc))
            yield rejected


def _pending(group: list[_Member]) -> Iterator[_Member]:
    return (m for m in group if m.result is None)


def _parse_all(members: list[_Member], limits: ParseLimits) -> Generator[ParseOutcome]:
    """Each member's parse, in order. A large batch is parsed by a second process ahead of the
    groups being written here: the parse is about a third of a member's CPU."""
    files = [(m.data, m.member or m.filename) for m in members]
    if len(files) >= PARALLEL_PARSE_FROM:
        return parse_in_background(files, limits)
    return (parse_outcome((data, name, limits)) for data, name in files)


def _check_group(
    session: Session, ctx: IntakeContext, services: UploadServices, group: list[_Member]
) -> None:
    """The group's refusals in one read transaction, ended before any 查验 network call."""
    begin_read(session)
    try:
        for m in _pending(group):
            assert m.parsed is not None
            try:
                m.accepted = check_acceptable(session, ctx, m.parsed)
            except AppError as exc:
                m.reject(exc)
    except BaseException:
        session.rollback()
        raise
    # A commit, not a rollback: nothing was written, and loaded rows stay unexpired.
    session.commit()
    for m in _pending(group):
        assert m.parsed is not None
        m.verification = verify(services.verifier, m.parsed, m.accepted)


def _store_group_bytes(store: FileStore, group: list[_Member]) -> None:
    """Durable before the rows that refer to them; the fsyncs of a group overlap."""
    jobs: list[tuple[_Member | None, bytes]] = []  # the member is named for its XBRL only
    for m in _pending(group):
        assert m.parsed is not None
        jobs.extend((None, r.data) for r in m.parsed.renditions)
        if m.parsed.xbrl is not None:
            jobs.append((m, m.parsed.xbrl))
    with ThreadPoolExecutor(max_workers=_STORE_THREADS) as pool:
        shas = list(pool.map(store.put, [blob for _, blob in jobs]))
    for (xbrl_of, _), sha256 in zip(jobs, shas, strict=True):
        if xbrl_of is not None:
            xbrl_of.xbrl_sha256 = sha256


def _record_group(session: Session, ctx: IntakeContext, group: list[_Member]) -> None:
    """One write transaction for the group, a savepoint per member."""
    try:
        for m in _pending(group):
            m.result = _record_member(session, ctx, m)
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _record_member(session: Session, ctx: IntakeContext, m: _Member) -> ItemResult:
    assert m.parsed is not None
    assert m.verification is not None
    try:
        ingested = ingest_with_retries(
            session, ctx, m.parsed, m.verification, m.xbrl_sha256, m.accepted, savepoint=True
        )
    except AppError as exc:
        return rejected_item(m.filename, m.member, exc)
    return ItemResult(m.filename, m.member, ingested.outcome, ingested.invoice)
