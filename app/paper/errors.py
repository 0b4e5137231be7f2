"""Problems raised by paper voucher registration."""

from app.problems import AppError


class PaperAfterTransition(AppError):
    status, slug = 422, "paper-after-transition"
    explanation = (
        "Paper 报销凭证 are valid only for travel dates up to 2025-09-30; later trips need the "
        "e-invoice."
    )
    title = "Paper vouchers ended on 2025-09-30"
