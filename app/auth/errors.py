"""Problems raised by authentication and user management."""

from app.problems import AppError, Conflict


class InvalidCredentials(AppError):
    status, slug = 401, "invalid-credentials"
    title = "Wrong username or password"
    explanation = "The login was refused."


class AccountDisabled(AppError):
    status, slug = 403, "account-disabled"
    title = "Account deactivated"
    explanation = "An administrator deactivated this account; its logins and tokens no longer work."


class AccountLocked(AppError):
    status, slug = 423, "account-locked"
    title = "Account temporarily locked"
    explanation = "Too many failed logins; try again later."


class DuplicateUsername(Conflict):
    slug = "duplicate-username"
    title = "Username taken"
    explanation = "Another user already has this username."
