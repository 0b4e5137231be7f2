"""Problems raised by authentication and user management."""

from app.problems import AppError, Conflict


class InvalidCredentials(AppError):
    status, slug = 401, "invalid-credentials"


class AccountDisabled(AppError):
    status, slug = 403, "account-disabled"


class AccountLocked(AppError):
    status, slug = 423, "account-locked"


class DuplicateUsername(Conflict):
    slug = "duplicate-username"
