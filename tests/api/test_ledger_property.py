"""Property: every voucher balances to the cent, each item's tax is what SPEC says, and the
input-VAT report equals the sum of the VAT lines — over generated claims, booked and sometimes
reversed, through the ledger's own line and posting functions on one database per engine."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, func, select

from app.auth.models import User
from app.entities.models import LegalEntity
from app.invoices.models import Invoice, PaperVoucher
from app.ledger.lines import BookedItem, booking_lines
from app.ledger.models import JournalLine, JournalVoucher
from app.ledger.posting import LineDraft, VoucherDraft, post_voucher
from app.ledger.vat_report import input_vat_report
from tests.factories import make_entity, make_user

Kind = Literal["xbrl-sale", "xbrl-fee", "face-sale", "face-fee", "paper"]
Passenger = Literal["contract", "dispatched", "other", "guest"]
PASSENGERS: dict[Passenger, tuple[str, str]] = {
    "contract": ("张三", "1234"),
    "dispatched": ("李派遣", "2222"),
    "other": ("钱外包", "3333"),
    "guest": ("赵访客", "7777"),  # no employee profile at all
}
MONTHS = ("2026-01", "2026-02", "2026-03")
VAT_ACCOUNT = "2221.01.01"
CENT = Decimal("0.01")
_numbers = itertools.count(1)


def tax_cents(fare_cents: int, rate_percent: int) -> int:
    """fare ÷ (1 + rate) × rate, half-up, in whole cents: the oracle, in integer arithmetic."""
    return (2 * fare_cents * rate_percent + 100 + rate_percent) // (2 * (100 + rate_percent))


@dataclass(frozen=True)
class ItemCase:
    kind: Kind
    fare_cents: int
    passenger: Passenger

    @property
    def fare(self) -> Decimal:
        return Decimal(self.fare_cents) / 100

    def expected_tax(self, small_scale: bool) -> Decimal:
        deductible = not small_scale and self.passenger in ("contract", "dispatched")
        if not deductible or self.kind == "face-fee":
            return Decimal("0.00")
        rate = 6 if self.kind == "xbrl-fee" else 9
        return Decimal(tax_cents(self.fare_cents, rate)) / 100


@dataclass(frozen=True)
class ClaimCase:
    items: tuple[ItemCase, ...]
    small_scale: bool
    booking_month: int
    confirmed_month: int | None
    reversal_month: int | None


claim_cases = st.builds(
    ClaimCase,
    items=st.lists(
        st.builds(
            ItemCase,
            kind=st.sampled_from(("xbrl-sale", "xbrl-fee", "face-sale", "face-fee", "paper")),
            fare_cents=st.integers(min_value=50, max_value=500_000),
            passenger=st.sampled_from(tuple(PASSENGERS)),
        ),
        min_size=1,
        max_size=4,
    ).map(tuple),
    small_scale=st.booleans(),
    booking_month=st.integers(0, 2),
    confirmed_month=st.none() | st.integers(0, 2),
    reversal_month=st.none() | st.integers(0, 2),
)


@dataclass
class Booked:
    """What the model expects of one booked document."""

    paper: bool
    fare: Decimal
    tax: Decimal
    booking_month: str
    confirmed_month: str | None
    reversal_month: str | None


@dataclass
class World:
    general: LegalEntity
    small: LegalEntity
    claimant: User
    clerk: User
    booked: dict[uuid.UUID, list[Booked]] = field(default_factory=dict)


def _world(session: Session) -> World:
    general = make_entity(session)
    small = make_entity(session, taxpayer_type="small-scale")
    people = {}
    for passenger, (name, last4) in PASSENGERS.items():
        if passenger != "guest":
            people[passenger] = make_user(
                session,
                "employee",
                entity=general,
                passenger_name=name,
                id_last4=last4,
                employment_type=passenger,
            )
    clerk = make_user(session, "finance", entity=general)
    return World(general, small, people["contract"], clerk, {general.id: [], small.id: []})


def _document(
    session: Session, world: World, entity: LegalEntity, item: ItemCase, month: str
) -> Invoice | PaperVoucher:
    n = next(_numbers)
    name, last4 = PASSENGERS[item.passenger]
    travel = dt.date.fromisoformat(f"{month}-03")
    if item.kind == "paper":
        return PaperVoucher(
            serial_number=f"PP{n:010d}",
            e_ticket_number=f"EP{n:012d}",
            ticket_key=f"EP{n:012d}|sale",
            travel_date=travel,
            train_number="G1",
            departure_station="北京南",
            arrival_station="上海虹桥",
            seat_class="二等座",
            fare=item.fare,
            passenger_name=name,
            passenger_id_masked=f"1101011990****{last4}",
            entity_id=entity.id,
            owner_id=world.claimant.id,
            created_by_id=world.claimant.id,
            status="claimed",
        )
    fee = item.kind.endswith("fee")
    xbrl = item.kind.startswith("xbrl")
    tax = Decimal(tax_cents(item.fare_cents, 6 if fee else 9)) / 100
    return Invoice(
        invoice_number=f"26{n:018d}",
        business_type="refund" if fee else "sale",
        train_number="D7",
        travel_date=travel,
        fare=item.fare,
        amount_excluding_tax=item.fare - tax if xbrl else None,
        tax_rate=Decimal("0.06" if fee else "0.09") if xbrl else None,
        tax_amount=tax if xbrl else None,
        passenger_name=name,
        passenger_id_masked=f"1101011990****{last4}",
        entity_id=entity.id,
        source="xbrl" if xbrl else "text",
        sha256=f"{n:064d}",
        status="claimed",
        uploaded_by_id=world.claimant.id,
    )


def _sums(session: Session, voucher: JournalVoucher) -> tuple[Decimal, Decimal]:
    debit, credit = session.exec(
        select(func.sum(JournalLine.debit), func.sum(JournalLine.credit)).where(
            JournalLine.voucher_id == voucher.id
        )
    ).one()
    return Decimal(debit), Decimal(credit)


def _book(session: Session, world: World, case: ClaimCase) -> list[JournalVoucher]:
    entity = world.small if case.small_scale else world.general
    month = MONTHS[case.booking_month]
    documents = [_document(session, world, entity, item, month) for item in case.items]
    for document in documents:
        session.add(document)
    session.flush()
    items = [
        BookedItem(
            d if isinstance(d, Invoice) else None, d if isinstance(d, PaperVoucher) else None
        )
        for d in documents
    ]
    lines, _warnings = booking_lines(session, entity, world.claimant, items)
    draft = VoucherDraft(
        entity_id=entity.id,
        date=dt.date.fromisoformat(f"{month}-15"),
        kind="booking",
        lines=tuple(lines),
        prepared_by_id=world.clerk.id,
        attachments_count=len(items),
    )
    booking = post_voucher(session, draft)
    vouchers = [booking]
    if case.reversal_month is not None:
        vouchers.append(_reverse(session, world, booking, MONTHS[case.reversal_month]))
    confirmed = MONTHS[case.confirmed_month] if case.confirmed_month is not None else None
    for document in documents:
        if isinstance(document, Invoice) and confirmed:
            document.deduction_confirmed_on = dt.date.fromisoformat(f"{confirmed}-20")
            session.add(document)
    session.commit()
    world.booked[entity.id] += [
        Booked(
            paper=isinstance(document, PaperVoucher),
            fare=item.fare,
            tax=item.expected_tax(case.small_scale),
            booking_month=month,
            confirmed_month=None if isinstance(document, PaperVoucher) else confirmed,
            reversal_month=None if case.reversal_month is None else MONTHS[case.reversal_month],
        )
        for document, item in zip(documents, case.items, strict=True)
    ]
    return vouchers


def _reverse(
    session: Session, world: World, original: JournalVoucher, month: str
) -> JournalVoucher:
    rows = session.exec(
        select(JournalLine)
        .where(JournalLine.voucher_id == original.id)
        .order_by(col(JournalLine.line_no))
    ).all()
    lines = tuple(
        LineDraft(
            account_code=r.account_code,
            account_name=r.account_name,
            debit=-r.debit,
            credit=-r.credit,
            memo=f"冲销 {original.number_text}",
            invoice_id=r.invoice_id,
            paper_voucher_id=r.paper_voucher_id,
            tax_basis=r.tax_basis,
        )
        for r in rows
    )
    draft = VoucherDraft(
        entity_id=original.entity_id,
        date=dt.date.fromisoformat(f"{month}-28"),
        kind="reversal",
        lines=lines,
        prepared_by_id=world.clerk.id,
        reverses_id=original.id,
    )
    return post_voucher(session, draft)


def _check_items(session: Session, case: ClaimCase, booking: JournalVoucher) -> None:
    lines = session.exec(
        select(JournalLine)
        .where(JournalLine.voucher_id == booking.id)
        .order_by(col(JournalLine.line_no))
    ).all()
    by_document: dict[Any, list[JournalLine]] = {}
    for line in lines[:-1]:
        by_document.setdefault(line.invoice_id or line.paper_voucher_id, []).append(line)
    assert len(by_document) == len(case.items)
    for item, document_lines in zip(case.items, by_document.values(), strict=True):
        expected = item.expected_tax(case.small_scale)
        vat = [line.debit for line in document_lines if line.account_code == VAT_ACCOUNT]
        assert vat == ([expected] if expected else [])
        assert sum(line.debit for line in document_lines) == item.fare
    assert lines[-1].credit == sum(item.fare for item in case.items)


def _vat_line_sums(session: Session, entity: LegalEntity, month: str) -> tuple[Decimal, Decimal]:
    """Σ VAT lines of e-invoices confirmed in `month`, and of paper vouchers posted in `month`."""
    start = dt.date.fromisoformat(f"{month}-01")
    end = dt.date.fromisoformat(f"{month}-28") + dt.timedelta(days=4)
    e_invoices = session.exec(
        select(func.coalesce(func.sum(JournalLine.debit), 0))
        .join(Invoice, col(Invoice.id) == col(JournalLine.invoice_id))
        .where(
            JournalLine.account_code == VAT_ACCOUNT,
            Invoice.entity_id == entity.id,
            col(Invoice.deduction_confirmed_on) >= start,
            col(Invoice.deduction_confirmed_on) < end.replace(day=1),
        )
    ).one()
    paper = session.exec(
        select(func.coalesce(func.sum(JournalLine.debit), 0))
        .join(JournalVoucher, col(JournalVoucher.id) == col(JournalLine.voucher_id))
        .where(
            JournalLine.account_code == VAT_ACCOUNT,
            col(JournalLine.paper_voucher_id).is_not(None),
            JournalVoucher.entity_id == entity.id,
            JournalVoucher.period == month,
        )
    ).one()
    return Decimal(e_invoices).quantize(CENT), Decimal(paper).quantize(CENT)


def _model_figures(
    booked: list[Booked], month: str, *, paper: bool
) -> tuple[int, Decimal, Decimal]:
    count, fare, tax = 0, Decimal("0.00"), Decimal("0.00")
    for doc in booked:
        if doc.paper != paper or not doc.tax:
            continue
        signs = (
            [1 if doc.booking_month == month else 0, -1 if doc.reversal_month == month else 0]
            if paper
            else [1 if doc.confirmed_month == month and doc.reversal_month is None else 0]
        )
        for sign in signs:
            count, fare, tax = count + sign, fare + sign * doc.fare, tax + sign * doc.tax
    return count, fare, tax


def _check_report(session: Session, world: World, entity: LegalEntity) -> None:
    for month in MONTHS:
        report = input_vat_report(session, entity.id, month)
        e_tax, paper_tax = _vat_line_sums(session, entity, month)
        assert (report.e_invoices.tax, report.paper_vouchers.tax) == (e_tax, paper_tax)
        assert report.total.tax == e_tax + paper_tax
        booked = world.booked[entity.id]
        for figures, paper in ((report.e_invoices, False), (report.paper_vouchers, True)):
            assert (figures.count, figures.fare, figures.tax) == _model_figures(
                booked, month, paper=paper
            )


def test_vouchers_balance_and_the_input_vat_report_equals_the_vat_lines(session: Session):
    world = _world(session)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=claim_cases)
    def check(case: ClaimCase) -> None:
        vouchers = _book(session, world, case)
        for voucher in vouchers:
            debit, credit = _sums(session, voucher)
            assert debit == credit == voucher.total
            assert voucher.total == voucher.total.quantize(CENT)
        booking_total = sum((item.fare for item in case.items), Decimal("0"))
        assert vouchers[0].total == booking_total
        _check_items(session, case, vouchers[0])
        for entity in (world.general, world.small):
            _check_report(session, world, entity)

    check()
