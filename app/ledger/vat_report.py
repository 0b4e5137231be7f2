"""The input-VAT report for 增值税申报表附列资料（二） (国内旅客运输服务), per entity and month.

E-invoices count in the month of their 用途确认 (deduction_confirmed_on); paper vouchers in the
month they were booked; railway (铁路) and air (航空) apart, as the return's 旅客运输服务 lines
want them. The figures come from the VAT lines themselves, so the report always
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

from sqlalchemy import Select, select
from sqlmodel import Session, col

from app.invoices.models import Invoice, PaperVoucher
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.schemas import InputVatReport, VatFigures, VatKindFigures

ZERO = Decimal("0.00")


def _month_bounds(period: str) -> tuple[dt.date, dt.date]:
    year, month = int(period[:4]), int(period[5:])
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, end


KIND_LABELS = {"railway": "铁路", "air": "航空"}
# (document id, its kind, its fare and fuel, the VAT line's debit, the voucher's kind)
Row = tuple[Any, ...]


def input_vat_report(session: Session, entity_id: uuid.UUID, period: str) -> InputVatReport:
    e_rows = _e_invoice_rows(session, entity_id, period)
    paper_rows = _paper_rows(session, entity_id, period)
    by_kind = [
        _kind_figures(
            kind, [r for r in e_rows if r[1] == kind], [r for r in paper_rows if r[1] == kind]
        )
        for kind in KIND_LABELS
    ]
    e_invoices = _sum(f.e_invoices for f in by_kind)
    paper = _sum(f.paper_vouchers for f in by_kind)
    return InputVatReport(
        entity=entity_id,
        period=period,
        e_invoices=e_invoices,
        paper_vouchers=paper,
        total=_sum([e_invoices, paper]),
        rows=by_kind,
    )


def _kind_figures(kind: str, e_rows: list[Row], paper_rows: list[Row]) -> VatKindFigures:
    e_invoices, paper = _net(e_rows), _net(paper_rows)
    return VatKindFigures(
        kind="air" if kind == "air" else "railway",
        label=KIND_LABELS[kind],
        e_invoices=e_invoices,
        paper_vouchers=paper,
        total=_sum([e_invoices, paper]),
    )


def _sum(figures: Iterable[VatFigures]) -> VatFigures:
    listed = list(figures)
    return VatFigures(
        count=sum(f.count for f in listed),
        fare=sum((f.fare for f in listed), ZERO),
        tax=sum((f.tax for f in listed), ZERO),
    )


def _e_invoice_rows(session: Session, entity_id: uuid.UUID, period: str) -> list[Row]:
    start, end = _month_bounds(period)
    statement = _taxed_lines(Invoice, JournalLine.invoice_id).where(
        col(Invoice.entity_id) == entity_id,
        col(Invoice.deduction_confirmed_on) >= start,
        col(Invoice.deduction_confirmed_on) < end,
    )
    return [tuple(row) for row in session.execute(statement).all()]


def _paper_rows(session: Session, entity_id: uuid.UUID, period: str) -> list[Row]:
    statement = _taxed_lines(PaperVoucher, JournalLine.paper_voucher_id).where(
        col(JournalVoucher.entity_id) == entity_id, col(JournalVoucher.period) == period
    )
    return [tuple(row) for row in session.execute(statement).all()]


def _taxed_lines(
    document: type[Invoice] | type[PaperVoucher], line_document: Any
) -> Select[uuid.UUID, str, Decimal, Decimal | None, Decimal, str]:
    """The journal lines that carry a `document`'s deductible tax (those with a tax basis): per
    line the document's id, kind, fare and fuel surcharge, the line's debit, the voucher's kind."""
    return (
        select(
            col(document.id),
            col(document.kind),
            col(document.fare),
            col(document.fuel_surcharge),
            col(JournalLine.debit),
            col(JournalVoucher.kind),
        )
        .join(JournalLine, col(line_document) == col(document.id))
        .join(JournalVoucher, col(JournalVoucher.id) == col(JournalLine.voucher_id))
        .where(col(JournalLine.tax_basis).is_not(None))
    )


def _net(rows: Iterable[Row]) -> VatFigures:
    """Sums count, fare and tax per document, a reversal's line counting negative.

    A document booked and reversed within the rows nets to nothing and drops out; a reversal
    alone (a paper voucher booked in an earlier month) shows as -1 with its fare and tax negated.
    """
    count: dict[uuid.UUID, int] = defaultdict(int)
    fare: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    tax: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for document_id, _kind, document_fare, fuel, debit, voucher_kind in rows:
        sign = -1 if voucher_kind == "reversal" else 1
        count[document_id] += sign
        fare[document_id] += sign * (Decimal(document_fare) + Decimal(fuel or 0))
        tax[document_id] += Decimal(debit)
    kept = [d for d in count if count[d] or tax[d]]
    return VatFigures(
        count=sum(count[d] for d in kept),
        fare=sum((fare[d] for d in kept), ZERO),
        tax=sum((tax[d] for d in kept), ZERO),
    )
