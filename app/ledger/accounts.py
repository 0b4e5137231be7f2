"""The chart of accounts a posting uses: SPEC defaults, overridable per entity and department."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, col, select

from app.ledger.models import LedgerAccount

AccountRole = Literal["travel_expense", "input_vat", "payable", "bank"]


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    name: str


DEFAULT_ACCOUNTS: dict[AccountRole, Account] = {
    "travel_expense": Account("6602.03", "管理费用-差旅费"),
    "input_vat": Account("2221.01.01", "应交税费-应交增值税(进项税额)"),
    "payable": Account("2241", "其他应付款"),
    "bank": Account("1002", "银行存款"),
}


def account_for(
    session: Session, entity_id: uuid.UUID, role: AccountRole, department: str | None = None
) -> Account:
    """The department's own account when configured, else the entity's, else the default."""
    rows = session.exec(
        select(LedgerAccount).where(
            LedgerAccount.entity_id == entity_id,
            LedgerAccount.role == role,
            (col(LedgerAccount.department) == department) | col(LedgerAccount.department).is_(None),
        )
    ).all()
    by_department = {row.department: row for row in rows}
    chosen = by_department.get(department) or by_department.get(None)
    return Account(chosen.code, chosen.name) if chosen else DEFAULT_ACCOUNTS[role]
