"""Reading vouchers and periods within the caller's entities."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from app.auth.principal import Principal
from app.kit.pagination import paginate_table
from app.ledger.models import JournalLine, JournalVoucher, Period
from app.ledger.schemas import LineOut, PeriodOut, VoucherOut
from app.ledger.words import amount_in_words
from app.problems import NotFound, ValidationProblem


def resolve_entity(principal: Principal, entity: uuid.UUID | None) -> uuid.UUID:
    """The entity asked for, which the caller must work for; may be omitted with only one."""
    if entity is not None:
        if principal.is_admin or entity in principal.entity_ids:
            return entity
        raise NotFound("No such legal entity.")
    if len(principal.entity_ids) == 1:
        return next(iter(principal.entity_ids))
    raise ValidationProblem("entity", "name the legal entity: you work for several (or none)")


def get_voucher(session: Session, principal: Principal, voucher_id: uuid.UUID) -> JournalVoucher:
    voucher = session.get(JournalVoucher, voucher_id)
    if voucher is None or not (principal.is_admin or voucher.entity_id in principal.entity_ids):
        raise NotFound("No such voucher.")
    return voucher


def list_vouchers(
    session: Session,
    principal: Principal,
    *,
    entity: uuid.UUID | None,
    period: str | None,
    updated_since: dt.datetime | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[VoucherOut], str | None]:
    statement = select(JournalVoucher).where(
        JournalVoucher.entity_id == resolve_entity(principal, entity)
    )
    if period:
        statement = statement.where(JournalVoucher.period == period)
    if updated_since:
        statement = statement.where(col(JournalVoucher.updated_at) >= updated_since)
    rows, next_cursor = paginate_table(
        session, statement, JournalVoucher, cursor=cursor, limit=limit
    )
    return vouchers_out(session, rows), next_cursor


def vouchers_out(session: Session, vouchers: list[JournalVoucher]) -> list[VoucherOut]:
    lines: dict[uuid.UUID, list[JournalLine]] = defaultdict(list)
    if vouchers:
        for line in session.exec(
            select(JournalLine)
            .where(col(JournalLine.voucher_id).in_([v.id for v in vouchers]))
            .order_by(col(JournalLine.line_no))
        ).all():
            lines[line.voucher_id].append(line)
    return [_voucher_out(v, lines[v.id]) for v in vouchers]


def voucher_out(session: Session, voucher: JournalVoucher) -> VoucherOut:
    return vouchers_out(session, [voucher])[0]


def posted_voucher_out(voucher: JournalVoucher, lines: list[JournalLine]) -> VoucherOut:
    """The voucher JSON of one just written, from its rows in hand."""
    return _voucher_out(voucher, sorted(lines, key=lambda line: line.line_no))


def voucher_ids_by_claim(
    session: Session, claim_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The vouchers posted for each claim (booking, payment, reversals), oldest first."""
    rows = session.exec(
        select(JournalVoucher.claim_id, JournalVoucher.id)
        .where(col(JournalVoucher.claim_id).in_(claim_ids))
        .order_by(col(JournalVoucher.created_at), col(JournalVoucher.id))
    ).all()
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for claim_id, voucher_id in rows:
        if claim_id is not None:
            found[claim_id].append(voucher_id)
    return found


def _voucher_out(voucher: JournalVoucher, lines: list[JournalLine]) -> VoucherOut:
    return VoucherOut(
        id=voucher.id,
        number=voucher.number_text,
        entity=voucher.entity_id,
        period=voucher.period,
        date=voucher.date,
        kind=voucher.kind,
        claim_id=voucher.claim_id,
        reverses_id=voucher.reverses_id,
        attachments_count=voucher.attachments_count,
        prepared_by=voucher.prepared_by_id,
        approved_by=voucher.approved_by_id,
        lines=[LineOut.model_validate(line, from_attributes=True) for line in lines],
        total=voucher.total,
        total_in_words=amount_in_words(voucher.total),
        payment_reference=voucher.payment_reference,
        created_at=voucher.created_at,
        updated_at=voucher.updated_at,
    )


def list_periods(
    session: Session, principal: Principal, entity: uuid.UUID | None
) -> list[PeriodOut]:
    entity_id = resolve_entity(principal, entity)
    counts = dict(
        session.exec(
            select(JournalVoucher.period, func.count())
            .where(JournalVoucher.entity_id == entity_id)
            .group_by(col(JournalVoucher.period))
        ).all()
    )
    periods = session.exec(
        select(Period).where(Period.entity_id == entity_id).order_by(col(Period.period).desc())
    ).all()
    return [
        PeriodOut(
            entity=p.entity_id,
            period=p.period,
            status=p.status,
            vouchers=counts.get(p.period, 0),
            closed_at=p.closed_at,
            closed_by=p.closed_by_id,
        )
        for p in periods
    ]


def voucher_numbers(
    session: Session, voucher_ids: list[uuid.UUID]
) -> list[tuple[uuid.UUID, str, str]]:
    """(id, 记-YYYY-MM-NNNN, kind) of vouchers a claim already names, for its page's links."""
    if not voucher_ids:
        return []
    rows = session.exec(
        select(JournalVoucher.id, JournalVoucher.number_text, JournalVoucher.kind)
        .where(col(JournalVoucher.id).in_(voucher_ids))
        .order_by(col(JournalVoucher.created_at))
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def reversal_of(session: Session, voucher_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
    """(id, number) of the 红字 voucher reversing this one, if it is reversed (at most once)."""
    row = session.exec(
        select(JournalVoucher.id, JournalVoucher.number_text).where(
            JournalVoucher.reverses_id == voucher_id
        )
    ).first()
    return (row[0], row[1]) if row else None


def voucher_number(session: Session, voucher_id: uuid.UUID) -> str | None:
    """The 记-YYYY-MM-NNNN of a voucher already within sight (a reversal names its original)."""
    return session.exec(
        select(JournalVoucher.number_text).where(JournalVoucher.id == voucher_id)
    ).first()
