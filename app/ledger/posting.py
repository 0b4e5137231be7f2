"""Writing a journal voucher: number it, check it balances, store it with its lines."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from sqlmodel import Session

from app.ledger.errors import UnbalancedVoucher
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.periods import next_voucher_number, period_of, voucher_number_text

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class LineDraft:
    account_code: str
    account_name: str
    debit: Decimal
    credit: Decimal
    memo: str
    department: str | None = None
    cost_centre: str | None = None
    invoice_id: uuid.UUID | None = None
    paper_voucher_id: uuid.UUID | None = None
    tax_basis: str | None = None


@dataclass(frozen=True, slots=True)
class VoucherDraft:
    entity_id: uuid.UUID
    date: dt.date
    kind: str
    lines: tuple[LineDraft, ...]
    prepared_by_id: uuid.UUID
    approved_by_id: uuid.UUID | None = None
    claim_id: uuid.UUID | None = None
    reverses_id: uuid.UUID | None = None
    attachments_count: int = 0
    payment_reference: str | None = None


@dataclass(frozen=True, slots=True)
class PostedVoucher:
    """A voucher as written, with its lines: the next step reads them here, not from the DB."""

    voucher: JournalVoucher
    lines: list[JournalLine]


def check_balanced(draft: VoucherDraft) -> Decimal:
    """The voucher's total; raises if its debits and credits differ by as much as a cent."""
    debit = sum((line.debit for line in draft.lines), ZERO)
    credit = sum((line.credit for line in draft.lines), ZERO)
    if debit != credit:
        raise UnbalancedVoucher(f"debits {debit} differ from credits {credit}")
    return debit


def post_voucher(session: Session, draft: VoucherDraft) -> JournalVoucher:
    """Adds the voucher to the caller's transaction; raises if it does not balance to the cent."""
    return write_voucher(session, draft).voucher


def write_voucher(session: Session, draft: VoucherDraft) -> PostedVoucher:
    """Numbers the voucher and adds it with its lines to the caller's transaction.

    The number is taken under the period row's lock, held until the caller commits: callers
    prepare everything else first and take it last, so the serial section stays short.
    """
    total = check_balanced(draft)
    period = period_of(draft.date)
    number = next_voucher_number(session, draft.entity_id, period)
    # The draft's fields but its lines are the voucher's columns of the same names.
    header = {f.name: getattr(draft, f.name) for f in fields(draft) if f.name != "lines"}
    voucher = JournalVoucher(
        **header,
        period=period,
        number=number,
        number_text=voucher_number_text(period, number),
        total=total,
    )
    session.add(voucher)
    session.flush()
    lines = [_line_row(voucher.id, no, line) for no, line in enumerate(draft.lines, start=1)]
    session.add_all(lines)
    session.flush()
    return PostedVoucher(voucher, lines)


def _line_row(voucher_id: uuid.UUID, line_no: int, line: LineDraft) -> JournalLine:
    # A draft line's fields are the row's columns of the same names.
    return JournalLine(voucher_id=voucher_id, line_no=line_no, **asdict(line))
