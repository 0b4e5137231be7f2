"""The 报销单 of an archived voucher: HTML with amounts in 大写 and the approval trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from app.archive.contents import VoucherContents
from app.invoices.air import reimbursed_amount, route_number
from app.kit.dates import BUSINESS_TZ
from app.ledger.words import amount_in_words

KIND_LABELS = {
    "booking": "记账凭证（报销）",
    "payment": "记账凭证（付款）",
    "reversal": "红字冲销凭证",
}
ACTION_LABELS = {
    "created": "创建",
    "submitted": "提交",
    "withdrawn": "撤回",
    "approved": "审批通过",
    "rejected": "驳回",
    "booked": "入账",
    "paid": "付款",
}

_env = Environment(
    loader=PackageLoader("app.archive", "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _local(value: dt.datetime | None) -> str:
    return "—" if value is None else value.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


_env.filters["money"] = _money
_env.filters["local"] = _local
_env.filters["in_words"] = amount_in_words
_env.filters["route"] = route_number
_env.filters["reimbursed"] = reimbursed_amount


def render_report(contents: VoucherContents, reference: str, retention: dt.date) -> bytes:
    """The 报销单 for one voucher; self-contained (no scripts, no external resources)."""
    voucher = contents.voucher
    html = _env.get_template("report.html").render(
        reference=reference,
        retention_until=retention.isoformat(),
        entity=contents.entity,
        voucher=voucher,
        kind_label=KIND_LABELS.get(voucher.kind, voucher.kind),
        lines=contents.lines,
        claim=contents.claim,
        claimant=contents.name_of(contents.claim.claimant_id) if contents.claim else None,
        prepared_by=contents.name_of(voucher.prepared_by_id),
        approved_by=contents.name_of(voucher.approved_by_id),
        invoices=contents.invoices,
        papers=contents.papers,
        approvals=[(a, contents.name_of(a.approver_id)) for a in contents.approvals],
        history=[
            (h, ACTION_LABELS.get(h.action, h.action), contents.name_of(h.actor_id))
            for h in contents.history
        ],
    )
    return html.encode("utf-8")
