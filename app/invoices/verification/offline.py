"""The default provider: verification switched off, every invoice recorded as unverified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.invoices.parsing import ParsedInvoice
from app.invoices.verification.provider import VerificationResult, utc_now


class OfflineProvider:
    """Asks nobody; claims carry an `unverified` warning until a platform is configured."""

    name = "offline"

    def __init__(self, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._clock = clock

    def verify(self, invoice: ParsedInvoice) -> VerificationResult:
        return VerificationResult(
            status="unverified",
            provider=self.name,
            checked_at=self._clock(),
            message=(
                f"Invoice {invoice.invoice_number} was not checked with the tax platform: "
                "查验 is switched off (RAILCLAIM_VERIFICATION_PROVIDER=offline)."
            ),
        )
