"""The lines of a claim's vouchers: booking (per item expense and VAT, then payable) and payment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col

from app.auth.models import EmployeeProfile, User
from app.entities.models import LegalEntity
from app.invoices.air import reimbursed_amount, route_number
from app.invoices.models import Invoice, PaperVoucher
from app.invoices.owners import employees_named
from app.ledger.accounts import Account, account_for
from app.ledger.posting import ZERO, LineDraft
from app.ledger.vat import VatInput, deductible_tax

DEDUCTIBLE_EMPLOYMENT = ("contract", "dispatched")
WHY = {"tax-unknown": "the face of a refund or change fee prints no tax rate"}


@dataclass(frozen=True, slots=True)
class BookedItem:
    """One claim item as the ledger sees it."""

    invoice: Invoice | None
    paper: PaperVoucher | None

    @property
    def amount(self) -> Decimal:
        """What the claim reimburses for the item: the fare, an itinerary's 合计."""
        document = self.invoice or self.paper
        assert document is not None
        return reimbursed_amount(document)

    def memo(self) -> str:
        if self.invoice is not None:
            i = self.invoice
            return f"{i.invoice_number} {route_number(i) or ''} {i.travel_date or ''}".strip()
        assert self.paper is not None
        p = self.paper
        return f"纸质 {p.serial_number} {route_number(p) or ''} {p.travel_date}"


def passenger_is_deductible(
    session: Session, entity_id: uuid.UUID, name: str | None, id_masked: str | None
) -> bool:
    """The passenger is a contract or dispatched employee of the entity (DOMAIN §1)."""
    if not name or not id_masked:
        return False
    found = session.exec(
        employees_named(entity_id, name, id_masked).where(
            col(EmployeeProfile.employment_type).in_(DEDUCTIBLE_EMPLOYMENT)
        )
    ).first()
    return found is not None


def booking_lines(
    session: Session, entity: LegalEntity, claimant: User, items: list[BookedItem]
) -> tuple[list[LineDraft], list[str]]:
    """The voucher lines and any warnings (e.g. a refund fee read from its face: tax unknown)."""
    department, cost_centre = claimant_dimensions(session, claimant)
    expense = account_for(session, entity.id, "travel_expense", department)
    vat_account = account_for(session, entity.id, "input_vat", department)
    lines: list[LineDraft] = []
    warnings: list[str] = []
    total = ZERO
    for item in items:
        tax, basis, warning = _tax_of(session, entity, item)
        if warning:
            warnings.append(
                f"{warning}: {item.memo()} (no input VAT deducted: {WHY.get(warning, warning)})"
            )
        lines.append(_line(expense, item, debit=item.amount - tax, dims=(department, cost_centre)))
        if tax:
            lines.append(
                _line(vat_account, item, debit=tax, dims=(department, cost_centre), tax_basis=basis)
            )
        total += item.amount
    payable = account_for(session, entity.id, "payable", department)
    lines.append(
        LineDraft(
            account_code=payable.code,
            account_name=f"{payable.name}-{claimant.display_name}"[:100],
            debit=ZERO,
            credit=total,
            memo=f"应付报销款 {claimant.display_name}"[:200],
            department=department,
            cost_centre=cost_centre,
        )
    )
    return lines, warnings


def payment_lines(
    session: Session, entity_id: uuid.UUID, claimant: User, total: Decimal, reference: str
) -> tuple[LineDraft, LineDraft]:
    """Clears the booking's payable line against the bank, on the same account and dimensions."""
    department, cost_centre = claimant_dimensions(session, claimant)
    payable = account_for(session, entity_id, "payable", department)
    bank = account_for(session, entity_id, "bank")
    memo = f"支付报销款 {claimant.display_name} {reference}"[:200]
    payable_name = f"{payable.name}-{claimant.display_name}"[:100]
    return (
        LineDraft(payable.code, payable_name, total, ZERO, memo, department, cost_centre),
        LineDraft(bank.code, bank.name, ZERO, total, memo, department, cost_centre),
    )


def claimant_dimensions(session: Session, claimant: User) -> tuple[str | None, str | None]:
    """(department, cost centre) of the claimant's profile: every line of their vouchers."""
    profile = session.get(EmployeeProfile, claimant.id)
    return (profile.department, profile.cost_centre) if profile else (None, None)


def _tax_of(
    session: Session, entity: LegalEntity, item: BookedItem
) -> tuple[Decimal, str, str | None]:
    document = item.invoice or item.paper
    assert document is not None
    vat_input = VatInput(
        kind="e-invoice" if item.invoice else "paper",
        fare=document.fare,
        travel="air" if document.kind == "air" else "railway",
        fuel_surcharge=document.fuel_surcharge or ZERO,
        business_type=item.invoice.business_type if item.invoice else "sale",
        source=item.invoice.source if item.invoice else "text",
        tax_amount=item.invoice.tax_amount if item.invoice else None,
        entity_small_scale=entity.taxpayer_type == "small-scale",
        passenger_is_deductible_employee=passenger_is_deductible(
            session, entity.id, document.passenger_name, document.passenger_id_masked
        ),
    )
    result = deductible_tax(vat_input)
    return result.tax, result.basis, result.warning


def _line(
    account: Account,
    item: BookedItem,
    *,
    debit: Decimal,
    dims: tuple[str | None, str | None],
    tax_basis: str | None = None,
) -> LineDraft:
    return LineDraft(
        account_code=account.code,
        account_name=account.name,
        debit=debit,
        credit=ZERO,
        memo=item.memo()[:200],
        department=dims[0],
        cost_centre=dims[1],
        invoice_id=item.invoice.id if item.invoice else None,
        paper_voucher_id=item.paper.id if item.paper else None,
        tax_basis=tax_basis,
    )
