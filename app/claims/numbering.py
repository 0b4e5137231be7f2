"""Human claim numbers BX-<YYYYMM>-<nnnn>, per entity and month of creation, taken in the database.

The counter row is incremented by one UPDATE ... RETURNING in the transaction that creates the
claim, so concurrent creations of one entity and month queue on the row (PostgreSQL) or on the
write lock (SQLite) and a rolled-back creation gives its number back. Only deleting a draft
leaves a hole ("gap-free-ish"); no process memory is involved.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlmodel import Session, col

from app.claims.models import ClaimNumberSequence
from app.db import insert_ignore
from app.kit.dates import business_date

PREFIX = "BX"


def claim_month(created_at: dt.datetime) -> str:
    """YYYYMM of the creation moment in Asia/Shanghai."""
    day = business_date(created_at)
    return f"{day.year:04d}{day.month:02d}"


def claim_number_text(month: str, number: int) -> str:
    return f"{PREFIX}-{month}-{number:04d}"


def next_claim_number(session: Session, entity_id: uuid.UUID, created_at: dt.datetime) -> str:
    """Takes the next number of the entity's month in the caller's transaction."""
    month = claim_month(created_at)
    insert_ignore(
        session,
        ClaimNumberSequence,
        {"entity_id": entity_id, "month": month, "last_number": 0},
    )
    taken = session.execute(
        update(ClaimNumberSequence)
        .where(
            col(ClaimNumberSequence.entity_id) == entity_id,
            col(ClaimNumberSequence.month) == month,
        )
        .values(last_number=col(ClaimNumberSequence.last_number) + 1)
        .returning(col(ClaimNumberSequence.last_number))
    ).scalar_one()
    return claim_number_text(month, int(taken))
