"""English texts of the back-office pages: finance bulk work, periods, vouchers, audit, admin."""

from __future__ import annotations

OFFICE_EN: dict[str, str] = {
    # Finance bulk work
    "已入账 {n} 份报销单。": "{n} claims booked.",
    "已支付 {n} 份报销单。": "{n} claims paid.",
    "{n} 份未办理：": "{n} not done:",
    "请至少勾选一份报销单。": "Tick at least one claim.",
    "请至少勾选一张发票。": "Tick at least one invoice.",
    "选择": "Select",
    "报销单号": "Claim number",
    "入账所选": "Book the ticked claims",
    "支付所选": "Pay the ticked claims",
    "待用途确认": "Deduction confirmation",
    "待用途确认的发票": "Invoices awaiting deduction confirmation",
    "在税务数字账户完成用途确认后，勾选发票并记录确认日期；进项税额按确认月份统计。": (
        "After confirming the invoices for deduction in the tax digital account, tick them and "
        "record the date; the input-VAT report counts e-invoices by the month of confirmation."
    ),
    "已记录 {n} 张发票的用途确认。": "Deduction confirmation recorded for {n} invoices.",
    "记录所选发票的用途确认": "Record the deduction confirmation of the ticked invoices",
    "没有待用途确认的发票。": "No invoice awaits deduction confirmation.",
}
