"""Security: each accounting period is as open or closed as its last audited close or reopen
left it. The status decides whether postings and 用途确认 may land in a month, and only
`set_period_status` changes it, always with an audit event under the chain's MAC: a closed
month set back to open in the database (to post into it) disagrees with the log."""

from __future__ import annotations

from sqlalchemy import select as columns
from sqlmodel import Session, col

from app.archive.findings import ArchiveReport
from app.audit.models import AuditEvent
from app.entities.models import LegalEntity
from app.ledger.models import Period

_CHANGES = {"period.closed": "closed", "period.reopened": "open"}


def check_period_status(session: Session, report: ArchiveReport) -> None:
    audited: dict[str, str] = {}
    for object_id, action in session.execute(
        columns(col(AuditEvent.object_id), col(AuditEvent.action))
        .where(col(AuditEvent.object_type) == "period", col(AuditEvent.action).in_(_CHANGES))
        .order_by(col(AuditEvent.seq))
    ):
        audited[str(object_id)] = _CHANGES[action]
    uscc = dict(session.execute(columns(col(LegalEntity.id), col(LegalEntity.uscc))).all())
    rows = session.execute(columns(col(Period.entity_id), col(Period.period), col(Period.status)))
    for entity_id, period, status in rows:
        report.count("period_statuses")
        expected = audited.pop(f"{entity_id}:{period}", "open")  # opened on first use
        if status != expected:
            report.fail(
                "period-status", f"period {uscc.get(entity_id, entity_id)} {period}",
                f"the period is {status}, but the audit log leaves it {expected}", "security",
            )  # fmt: skip
    for object_id, expected in sorted(audited.items()):
        if expected == "closed":
            entity_id, _, period = object_id.partition(":")
            report.fail(
                "period-status", f"period {entity_id} {period}",
                "the audit log closed it; its row is gone", "security",
            )  # fmt: skip
