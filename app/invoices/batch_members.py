"""A batch's members: its files with their ZIPs expanded, each parsed in order and carrying its
own state (decision, 查验, stored XBRL, result) on its way in."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass

from app.invoices.decision import IntakeDecision
from app.invoices.errors import FileRefused
from app.invoices.models import Invoice
from app.invoices.parsing import (
    ParsedInvoice,
    ParseError,
    ParseLimits,
    UnreadableFile,
    bundle_members,
    detect_kind,
)
from app.invoices.parsing.bundle import NO_INVOICE_IN_ZIP
from app.invoices.parsing.parallel import ParseOutcome, parse_in_background, parse_outcome
from app.invoices.verification.provider import VerificationResult
from app.kit.filenames import without_hidden_controls
from app.problems import AppError, problem_body

# From this many members on, parsing moves to a second process (see parse_members); below,
# the worker's start would cost more than the overlap saves.
PARALLEL_PARSE_FROM = 200
_NESTED_ZIP = "a ZIP inside a ZIP is not read (one level only)"


@dataclass(frozen=True)
class ItemResult:
    """What became of one file or ZIP member of a batch."""

    file: str
    member: str | None
    outcome: str
    invoice: Invoice | None = None
    problem: dict[str, object] | None = None


def rejected_item(filename: str, member: str | None, exc: AppError) -> ItemResult:
    outcome = "duplicate" if exc.slug == "duplicate-invoice" else "rejected"
    return ItemResult(filename, member, outcome, problem=problem_body(exc))


def is_bundle(data: bytes) -> bool:
    try:
        return detect_kind(data) == "zip"
    except ParseError:
        return False


def the_only_invoice(parsed: list[ParsedInvoice]) -> ParsedInvoice:
    """An upload or batch member is one invoice; a file holding several is refused."""
    if len(parsed) != 1:
        raise UnreadableFile("the file holds more than one invoice")
    return parsed[0]


@dataclass
class Member:
    """One file or ZIP member on its way in; `result` is set once it is decided."""

    filename: str
    member: str | None
    data: bytes
    parsed: ParsedInvoice | None = None
    decision: IntakeDecision | None = None
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


def expand_members(files: list[tuple[str, bytes]], limits: ParseLimits) -> Iterator[Member]:
    """Each file, or each member of a ZIP (one level deep); a ZIP that cannot be read is one
    rejected member."""
    for received_name, data in files:
        # Names are echoed in results and pages: a bidi override there would disguise them.
        filename = without_hidden_controls(received_name)
        if not is_bundle(data):
            yield Member(filename, None, data)
            continue
        try:
            found = False
            for entry in bundle_members(data, limits):
                found = True
                member = Member(filename, without_hidden_controls(entry.name), entry.data)
                if is_bundle(entry.data):
                    member.reject(FileRefused(UnreadableFile(_NESTED_ZIP)))
                yield member
            if not found:  # only folders or an unpacker's metadata: still an answer for the file
                raise UnreadableFile(NO_INVOICE_IN_ZIP)
        except ParseError as exc:
            rejected = Member(filename, None, b"")
            rejected.reject(FileRefused(exc))
            yield rejected


def pending(group: list[Member]) -> Iterator[Member]:
    return (m for m in group if m.result is None)


def parse_members(members: list[Member], limits: ParseLimits) -> Generator[ParseOutcome]:
    """Each member's parse, in order. A large batch is parsed by a second process ahead of the
    groups being written: the parse is about a third of a member's CPU."""
    files = [(m.data, m.member or m.filename) for m in members]
    if len(files) >= PARALLEL_PARSE_FROM:
        return parse_in_background(files, limits)
    return (parse_outcome((data, name, limits)) for data, name in files)
