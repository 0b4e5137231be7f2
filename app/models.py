"""Imports every table so that metadata is complete for Alembic and the tests."""

from app.archive.models import ArchiveFile, ArchiveRecord
from app.audit.models import AuditEvent, AuditHead
from app.auth.models import ApiToken, EmployeeProfile, User, UserEntity
from app.claims.models import (
    ApprovalSubstitute,
    Claim,
    ClaimApproval,
    ClaimHistory,
    ClaimItem,
    ClaimNumberSequence,
    ClaimPolicy,
)
from app.entities.models import LegalEntity
from app.invoices.models import CabinTable, Invoice, InvoiceFile, PaperVoucher, TicketHold
from app.kit.idempotency import IdempotencyRecord
from app.ledger.models import (
    BookedDocument,
    ClaimPosting,
    JournalLine,
    JournalVoucher,
    LedgerAccount,
    Period,
)
from app.notifications.models import Notification
from app.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

__all__ = [
    "ApiToken",
    "ApprovalSubstitute",
    "ArchiveFile",
    "ArchiveRecord",
    "AuditEvent",
    "AuditHead",
    "BookedDocument",
    "CabinTable",
    "Claim",
    "ClaimApproval",
    "ClaimHistory",
    "ClaimItem",
    "ClaimNumberSequence",
    "ClaimPolicy",
    "ClaimPosting",
    "EmployeeProfile",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceFile",
    "JournalLine",
    "JournalVoucher",
    "LedgerAccount",
    "LegalEntity",
    "Notification",
    "PaperVoucher",
    "Period",
    "TicketHold",
    "User",
    "UserEntity",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]
