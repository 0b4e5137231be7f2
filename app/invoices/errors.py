"""Problems raised while taking invoices in, and the mapping of parser refusals to them."""

from __future__ import annotations

from typing import ClassVar

from app.invoices.parsing import ParseError
from app.problems import AppError, Conflict, describe_problem, describe_renamed


class DuplicateInvoice(Conflict):
    slug = "duplicate-invoice"
    explanation = (
        "The same file, or another file of the same invoice number, exists; `existing_invoice_id` "
        "names it if you may read it, else `existing_invoice` says `another-entity` or `not-"
        "visible`."
    )
    title = "This invoice is already stored"


class TicketAlreadyClaimed(Conflict):
    slug = "ticket-already-claimed"
    explanation = (
        "A ticket is reimbursed once: by its e-invoice or by its paper voucher. "
        "`existing_invoice_id` or `existing_paper_voucher_id` names the holder if you may read it,"
        " else `existing_invoice` or `existing_paper_voucher` says `another-entity` or `not-"
        "visible`."
    )
    title = "This ticket is already held by another document"


class InvoiceStateConflict(Conflict):
    slug = "invalid-state"
    title = "Not allowed in the invoice's current state"


class BuyerMismatch(AppError):
    status, slug, title = 422, "buyer-mismatch", "The invoice's buyer is not one of your entities"
    explanation = (
        "The buyer name and 统一社会信用代码 must match a legal entity you work for; "
        "personal titles are refused."
    )


class FileRefused(AppError):
    """A parser refusal as an HTTP problem: status by code, the parser's message as detail.

    Its problem types are the parser's codes, described here once each; too-large is the body
    limit's (`problems.TooLarge`), with a title of its own for a file."""

    _REFUSALS: ClassVar[dict[str, tuple[int, str, str | None]]] = {
        "unreadable-file": (
            422,
            "The file cannot be read",
            "The file is damaged, truncated or unsafe.",
        ),
        "encrypted-file": (422, "The file is encrypted", "Upload the file as 12306 delivered it."),
        "not-a-travel-invoice": (
            422,
            "This is not a travel e-invoice",
            "Only 电子发票（铁路电子客票） (railway) and 电子发票（航空运输电子客票行程单） (air) "
            "are taken here.",
        ),
        "unsupported-format": (
            415,
            "Unsupported file format",
            "Send PDF, OFD, XML (XBRL) or ZIP files.",
        ),
        "too-large": (413, "The file is too large", None),
    }

    def __init__(self, error: ParseError) -> None:
        status, title, _ = self._REFUSALS.get(error.code, self._REFUSALS["unreadable-file"])
        extensions = {"member": error.member} if error.member else {}
        super().__init__(error.message, **extensions)
        self.status, self.slug, self.title = status, error.code, title


for _code, (_status, _title, _explanation) in FileRefused._REFUSALS.items():
    if _explanation is not None:
        describe_problem(_code, _title, _explanation)
# Before air e-itineraries the parser refused with this type; its page stays and points on.
describe_renamed("not-a-railway-invoice", "not-a-travel-invoice")
