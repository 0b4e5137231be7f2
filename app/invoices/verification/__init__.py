"""Invoice verification (查验): pluggable providers that confirm a parsed invoice with an authority.

The offline default records `unverified`; the HTTP provider asks a tax-platform style endpoint.
"""

from app.invoices.verification.compare import compare_answer
from app.invoices.verification.factory import get_verification_provider
from app.invoices.verification.http import HttpProvider, verify_request
from app.invoices.verification.normalize import MalformedAnswer
from app.invoices.verification.offline import OfflineProvider
from app.invoices.verification.provider import (
    VerificationProvider,
    VerificationResult,
    VerificationStatus,
)

__all__ = [
    "HttpProvider",
    "MalformedAnswer",
    "OfflineProvider",
    "VerificationProvider",
    "VerificationResult",
    "VerificationStatus",
    "compare_answer",
    "get_verification_provider",
    "verify_request",
]
