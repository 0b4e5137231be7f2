"""Problems raised by the ledger."""

from app.problems import AppError, Conflict, Forbidden


class PeriodClosed(Conflict):
    slug, title = "period-closed", "The accounting period is closed"


class InvalidState(Conflict):
    slug, title = "invalid-state", "Not allowed in the current state"


class PaperOriginalMissing(Conflict):
    slug, title = "paper-original-missing", "A paper original has not been received"


class SegregationOfDuties(Forbidden):
    slug, title = "segregation-of-duties", "Segregation of duties forbids this"


class UnbalancedVoucher(AppError):
    """Raised only if the posting code itself is wrong: a voucher must balance to the cent."""

    status, slug = 500, "internal-error"
