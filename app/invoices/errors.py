"""Problems raised while taking invoices in, and the mapping of parser refusals to them."""

from __future__ import annotations

from typing import ClassVar

from app.invoices.parsing import ParseError
from app.problems import AppError, Conflict


class DuplicateInvoice(Conflict):
    slug = "duplicate-invoice"
    title = "This invoice is already stored"


class TicketAlreadyClaimed(Conflict):
    slug = "ticket-already-claimed"
    title = "This ticket is already held by another document"


class InvoiceStateConflict(Conflict):
    slug = "invalid-state"
    title = "Not allowed in the invoice's current state"


class BuyerMismatch(AppError):
    status, slug, title = 422, "buyer-mismatch", "The invoice's buyer is not one of your entities"


class FileRefused(AppError):
    """A parser refusal as an HTTP problem: status by code, the parser's message as detail."""

    _STATUS: ClassVar[dict[str, tuple[int, str]]] = {
        "unreadable-file": (422, "The file cannot be read"),
        "encrypted-file": (422, "The file is encrypted"),
        "not-a-railway-invoice": (422, "This is not a railway e-invoice"),
        "unsupported-format": (415, "Unsupported file format"),
        "too-large": (413, "The file is too large"),
    }

    def __init__(self, error: ParseError) -> None:
        status, title = self._STATUS.get(error.code, (422, "The file cannot be read"))
        extensions = {"member": error.member} if error.member else {}
        super().__init__(error.message, **extensions)
        self.status, self.slug, self.title = status, error.code, title
