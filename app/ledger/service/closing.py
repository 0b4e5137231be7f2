"""Closing an accounting period (finance) and reopening it (admins), both audited."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlmodel import Session, col

from app.audit.service import AuditedObject
from app.auth.actor import Actor
from app.db import utcnow
from app.entities.models import LegalEntity
from app.ledger.errors import InvalidState
from app.ledger.models import Period
from app.ledger.periods import check_period_text, ensure_period
from app.ledger.queries import list_periods, resolve_entity
from app.ledger.schemas import PeriodOut
from app.problems import NotFound


def set_period_status(
    session: Session, actor: Actor, *, entity: uuid.UUID | None, period: str, close: bool
) -> PeriodOut:
    check_period_text(period)
    entity_id = resolve_entity(actor.principal, entity)
    # Admins may name any entity: one that does not exist must not reach the period's insert.
    if session.get(LegalEntity, entity_id) is None:
        raise NotFound("No such legal entity.")
    ensure_period(session, entity_id, period)
    wanted, current = ("closed", "open") if close else ("open", "closed")
    # The status flips under the period row's lock, so a booking holding it finishes first.
    changed = session.execute(
        update(Period)
        .where(
            col(Period.entity_id) == entity_id,
            col(Period.period) == period,
            col(Period.status) == current,
        )
        .values(
            status=wanted,
            updated_at=utcnow(),
            closed_at=utcnow() if close else None,
            closed_by_id=actor.principal.id if close else None,
        )
        .returning(col(Period.period))
    ).scalar_one_or_none()
    if not changed:
        session.rollback()
        raise InvalidState(f"The period {period} is already {wanted}.", period=period)
    actor.recorder.record(
        session,
        f"period.{'closed' if close else 'reopened'}",
        AuditedObject("period", f"{entity_id}:{period}", entity_id),
        details={"period": period},
    )
    session.commit()
    return next(p for p in list_periods(session, actor.principal, entity_id) if p.period == period)
