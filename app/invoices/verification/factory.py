"""Builds the configured verification provider once, at startup, so bad settings fail early."""

from __future__ import annotations

from app.config import Settings
from app.invoices.verification.http import HttpProvider
from app.invoices.verification.offline import OfflineProvider
from app.invoices.verification.provider import VerificationProvider


def get_verification_provider(settings: Settings) -> VerificationProvider:
    """The provider `RAILCLAIM_VERIFICATION_PROVIDER` names; raises ValueError if misconfigured."""
    if settings.verification_provider == "offline":
        return OfflineProvider()
    if not settings.verification_url:
        raise ValueError(
            "RAILCLAIM_VERIFICATION_PROVIDER=http needs RAILCLAIM_VERIFICATION_URL, "
            "the base URL of the 查验 endpoint (POST <url>/verify)"
        )
    token = settings.verification_token
    return HttpProvider(
        settings.verification_url,
        settings.verification_timeout_seconds,
        settings.verification_retries,
        token=token.get_secret_value() if token is not None else None,
    )
