"""The 查验 provider interface: what every verification provider is asked and what it answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from app.invoices.parsing import ParsedInvoice

VerificationStatus = Literal["verified", "mismatch", "unverified", "failed"]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """One verification attempt: its verdict, who gave it, when, and why.

    `mismatches` names the ParsedInvoice fields the platform disagrees with (`is_red_letter` for
    the blue/red flag). `raw` is the platform's answer reduced to the keys of the published 查验
    shape, so it holds no personal data the invoice does not already carry.
    """

    status: VerificationStatus
    provider: str
    checked_at: dt.datetime
    message: str
    mismatches: tuple[str, ...] = ()
    raw: dict[str, object] | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        # Stored timestamps are UTC (SPEC); a naive or local time here is a caller's bug.
        if self.checked_at.utcoffset() != dt.timedelta(0):
            raise ValueError("checked_at must be a timezone-aware UTC datetime")


@runtime_checkable
class VerificationProvider(Protocol):
    """Checks one parsed invoice against an authority.

    `verify` never raises for network or platform trouble: that is a `failed` result.
    """

    name: str

    def verify(self, invoice: ParsedInvoice) -> VerificationResult: ...
