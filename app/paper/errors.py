"""Problems raised by paper voucher registration."""

from app.problems import AppError


class PaperAfterTransition(AppError):
    status, slug = 422, "paper-after-transition"
    title = "Paper vouchers ended on 2025-09-30"
