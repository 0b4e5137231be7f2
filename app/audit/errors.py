"""Problems raised by the audit log."""

from app.problems import AppError


class AuditLogDamaged(AppError):
    """Nothing audited can be written while the log cannot take a next number."""

    status, slug = 503, "audit-log-damaged"
    title = "The audit log is damaged"
    explanation = (
        "Changes are refused until the audit log is repaired: an admin runs "
        "`railclaim archive verify`, which names the damage."
    )
