"""Security: each accounting period is as open or closed as its last audited close or reopen
left it. The status decides whether postings and 用途确认 may land in a month, and only
`set_period_status` changes it, always with an audit event under the chain's MAC: a closed
month set back to open in the database (to post into it) disagrees with the log."""

from __future__ import annotations

import uuid
from typing import Any

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
            status, expected = _read_again(session, entity_id, period)
        if status != expected:
            report.fail(
                "period-status", f"period {uscc.get(entity_id, entity_id)} {period}",
                f"the period is {status}, but the audit log leaves it {expected}", "security",
            )  # fmt: skip
    for object_id, expected in sorted(audited.items()):
        if expected == "closed":
            entity, _, period = object_id.partition(":")
            report.fail(
                "period-status", f"period {_uscc_of(uscc, entity)} {period}",
                "the audit log closed it; its row is gone", "security",
            )  # fmt: skip


def _uscc_of(uscc: dict[Any, str], entity: str) -> str:
    try:
        return uscc.get(uuid.UUID(entity), entity)
    except ValueError:
        return entity


def _read_again(session: Session, entity_id: Any, period: str) -> tuple[str, str]:
    """The period's status and its last audited change, read once more, the row first and
    shared-locked where the engine can: a close or reopen that committed between the two reads
    above (verify reads without one snapshot) is then seen on both sides, and waited for if it
    is still running."""
    row = columns(col(Period.status)).where(
        col(Period.entity_id) == entity_id, col(Period.period) == period
    )
    if session.get_bind().dialect.name == "postgresql":
        row = row.with_for_update(read=True)
    status = session.execute(row).scalar_one_or_none() or "gone"
    action = session.execute(
        columns(col(AuditEvent.action))
        .where(
            col(AuditEvent.object_type) == "period",
            col(AuditEvent.object_id) == f"{entity_id}:{period}",
            col(AuditEvent.action).in_(_CHANGES),
        )
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).scalar_one_or_none()
    return status, _CHANGES.get(action or "", "open")
