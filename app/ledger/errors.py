"""Problems raised by the ledger."""

from app.problems import Conflict, Forbidden, InternalError


class PeriodClosed(Conflict):
    slug, title = "period-closed", "The accounting period is closed"
    explanation = "Post into an open period, or ask an admin to reopen it."


class InvalidState(Conflict):
    slug, title = "invalid-state", "Not allowed in the current state"
    explanation = (
        "The object's state does not permit this action; `detail` says which state it is in."
    )


class PaperOriginalMissing(Conflict):
    slug, title = "paper-original-missing", "A paper original has not been received"
    explanation = "Finance books a paper voucher only after its physical original arrived."


class SegregationOfDuties(Forbidden):
    slug, title = "segregation-of-duties", "Segregation of duties forbids this"
    explanation = "Who approved a claim may not book it; who booked it may not pay it."


class UnbalancedVoucher(InternalError):
    """Raised only if the posting code itself is wrong: a voucher must balance to the cent."""
