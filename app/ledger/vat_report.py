"""The input-VAT report for 增值税申报表附列资料（二） (国内旅客运输服务), per entity and month.

E-invoices count in the month of their 用途确认 (deduction_confirmed_on); paper vouchers in the
month they were booked. The figures come from the VAT lines themselves, so the report always
equals what the ledger holds: a reversal subtracts its document's count, fare and tax in the month
it lands in (for paper vouchers, the month of the reversal date), so it nets out.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.invoices.models import Invoice, PaperVoucher
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.schemas import InputVatReport, VatFigures

ZERO = Decimal("0.00")


def _month_bounds(period: str) -> tuple[dt.date, dt.date]:
    year, month = int(period[:4]), int(period[5:])
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, end


def input_vat_report(session: Session, entity_id: uuid.UUID, period: str) -> InputVatReport:
    e_invoices = _e_invoice_figures(session, entity_id, period)
    paper = _paper_figures(session, entity_id, period)
    total = VatFigures(
        count=e_invoices.count + paper.count,
        fare=e_invoices.fare + paper.fare,
        tax=e_invoices.tax + paper.tax,
    )
    return InputVatReport(
        entity=entity_id, period=period, e_invoices=e_invoices, paper_vouchers=paper, total=total
    )


def _e_invoice_figures(session: Session, entity_id: uuid.UUID, period: str) -> VatFigures:
    start, end = _month_bounds(period)
    rows = session.exec(
        select(col(Invoice.id), col(Invoice.fare), col(JournalLine.debit), col(JournalVoucher.kind))
        .join(JournalLine, col(JournalLine.invoice_id) == col(Invoice.id))
        .join(JournalVoucher, col(JournalVoucher.id) == col(JournalLine.voucher_id))
        .where(
            Invoice.entity_id == entity_id,
            col(Invoice.deduction_confirmed_on) >= start,
            col(Invoice.deduction_confirmed_on) < end,
            col(JournalLine.tax_basis).is_not(None),
        )
    ).all()
    return _net(rows)


def _paper_figures(session: Session, entity_id: uuid.UUID, period: str) -> VatFigures:
    rows = session.exec(
        select(
            col(PaperVoucher.id),
            col(PaperVoucher.fare),
            col(JournalLine.debit),
            col(JournalVoucher.kind),
        )
        .join(JournalLine, col(JournalLine.paper_voucher_id) == col(PaperVoucher.id))
        .join(JournalVoucher, col(JournalVoucher.id) == col(JournalLine.voucher_id))
        .where(
            JournalVoucher.entity_id == entity_id,
            JournalVoucher.period == period,
            col(JournalLine.tax_basis).is_not(None),
        )
    ).all()
    return _net(rows)


def _net(rows: Iterable[tuple[Any, Any, Any, Any]]) -> VatFigures:
    """Sums count, fare and tax per document, a reversal's line counting negative.

    A document booked and reversed within the rows nets to nothing and drops out; a reversal
    alone (a paper voucher booked in an earlier month) shows as -1 with its fare and tax negated.
    """
    count: dict[uuid.UUID, int] = defaultdict(int)
    fare: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    tax: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for document_id, document_fare, debit, voucher_kind in rows:
        sign = -1 if voucher_kind == "reversal" else 1
        count[document_id] += sign
        fare[document_id] += sign * Decimal(document_fare)
        tax[document_id] += Decimal(debit)
    kept = [d for d in count if count[d] or tax[d]]
    return VatFigures(
        count=sum(count[d] for d in kept),
        fare=sum((fare[d] for d in kept), ZERO),
        tax=sum((tax[d] for d in kept), ZERO),
    )
