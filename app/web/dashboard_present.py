"""The dashboard's pieces in the reader's words: work counts as links, spending as charts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal

from app.dashboard.queries import Workload
from app.ledger.spending import Spent
from app.web.charts import Chart, bar_chart, column_chart
from app.web.i18n import Lang, translate
from app.web.templating import format_money


@dataclass(frozen=True)
class Tally:
    label: str
    count: int
    href: str
    urgent: bool  # work that waits for this user, not for someone else


# (field of Workload, label, list it links to, waits for me)
_TALLIES: tuple[tuple[str, str, str, bool], ...] = (
    ("awaiting_my_approval", "待我审批", "/approvals", True),
    ("to_book", "待入账", "/finance/claims", True),
    ("to_pay", "待支付", "/finance/claims", True),
    ("unassigned_invoices", "待认领发票", "/finance/unassigned", True),
    ("originals_to_receive", "待收纸质原件", "/finance/paper-originals", True),
    ("to_confirm_deduction", "待用途确认", "/finance/claims", True),
    ("my_available_invoices", "可报销的发票", "/invoices?status=available", True),
    ("my_drafts", "我的草稿", "/claims?state=draft", True),
    ("my_submitted", "审批中", "/claims?state=submitted", False),
    ("my_to_be_paid", "待入账或待支付", "/claims", False),
)


def tallies(lang: Lang, work: Workload, *, claims_own: bool) -> list[Tally]:
    """The counts the user's roles give them, in the order they act on them; their own claims'
    counts only for employees, or for others once there is something to show."""
    found = []
    for field, label, href, urgent in _TALLIES:
        count = getattr(work, field)
        if count is None or (field.startswith("my_") and not claims_own and count == 0):
            continue
        found.append(Tally(translate(lang, label), count, href, urgent and count > 0))
    return found


@dataclass(frozen=True)
class SpendingView:
    by_month: Chart
    by_department: Chart
    months: list[tuple[str, str, int]]  # (period, ¥amount, claims)
    departments: list[tuple[str, str, int]]
    total: str


def spending_view(lang: Lang, months: list[Spent], departments: list[Spent]) -> SpendingView:
    unnamed = translate(lang, "未填部门")
    month_points = [(_month_label(lang, str(s.key)), s.amount) for s in months]
    department_points = [(s.key or unnamed, s.amount) for s in departments]
    return SpendingView(
        by_month=column_chart(month_points, lang),
        by_department=bar_chart(department_points),
        months=[(str(s.key), format_money(s.amount), s.claims) for s in months],
        departments=[(s.key or unnamed, format_money(s.amount), s.claims) for s in departments],
        total=format_money(sum((s.amount for s in months), Decimal(0))),
    )


def _month_label(lang: Lang, period: str) -> str:
    month = int(period[5:])
    return calendar.month_abbr[month] if lang == "en" else f"{month}月"
