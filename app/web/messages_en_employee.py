"""English texts of the employee and approver pages: phone menu, claims, inbox, dashboards."""

from __future__ import annotations

EMPLOYEE_EN: dict[str, str] = {
    "菜单": "Menu",
    "选择文件（可多选）": "Choose files (several at once)",
    "12306 App 保存的发票在手机的“文件”里": "Invoices the 12306 app saved are in the phone's Files",
    "车厢座位": "Carriage and seat",
    "添加票据": "Add documents",
    "添加到报销单": "Add to the claim",
    "返回报销单": "Back to the claim",
    "请至少勾选一张票据。": "Tick at least one document.",
    "报销单“{title}”现有 {n} 张票据，合计 {total}。": (
        "The claim “{title}” holds {n} documents, {total} in all."
    ),
    "已选 {n} 张，合计 {total}": "{n} ticked, {total} in all",
    "已添加到报销单。": "Added to the claim.",
    "报销入账": "Booking",
    "付款": "Payment",
    "红字冲销": "Reversal",
    # Approver inbox
    "已批准 {done} 张，未批准 {refused} 张。": "{done} approved, {refused} not approved.",
    "请至少勾选一张报销单。": "Tick at least one claim.",
    "选择": "Select",
    "审批意见（用于所选的每一张）": "Comment (for each ticked claim)",
    "已阅读并确认所选报销单的提示事项": "I have read and acknowledge the ticked claims’ warnings",
    "批准所选": "Approve ticked claims",
    # Dashboard
    "等待处理": "Waiting for you",
    "待用途确认": "Deduction to confirm",
    "我的草稿": "My drafts",
    "审批中": "Awaiting approval",
    "待入账或待支付": "Approved, to be paid",
    "已入账的报销支出": "Booked claim spending",
    "按月": "By month",
    "按部门": "By department",
    "期间": "Period",
    "未填部门": "No department",
    "这段时间没有入账的报销单。": "No claims were booked in this time.",
}
