"""English texts of the workflow pages (claims, approval, finance, audit, policy, webhooks)."""

from __future__ import annotations

CLAIMS_EN: dict[str, str] = {
    "报销单": "Claims",
    "新建报销单": "New claim",
    "报销这张发票": "Claim this invoice",
    "勾选发票，提交审批": "Tick invoices, submit for approval",
    "审批员工提交的报销单": "Decide on the claims your team submits",
    "入账、支付已审批的报销单": "Book and pay approved claims",
    "审批": "Approval",
    "待我审批": "Awaiting my approval",
    "待入账和待支付": "Claims to book and pay",
    "待入账": "To book",
    "待支付": "To pay",
    "草稿": "Draft",
    "待审批": "Submitted",
    "已审批": "Approved",
    "已支付": "Paid",
    "创建": "Create",
    "提交": "Submitted",
    "撤回": "Withdraw",
    "批准": "Approve",
    "退回": "Reject",
    "入账": "Book",
    "支付": "Pay",
    "阻止": "Blocks",
    "事由": "Purpose",
    "标题": "Title",
    "出差事由": "Purpose of the trip",
    "例如 11月上海客户拜访": "e.g. November customer visit in Shanghai",
    "票据": "Items",
    "金额": "Amount",
    "合计": "Total",
    "更新时间": "Updated",
    "提交时间": "Submitted",
    "还没有报销单。": "No claims yet.",
    "勾选要报销的发票和纸质凭证。乘车人不是您本人时，请在该行填写说明。"
    "保存为草稿后可查看政策提示，再提交审批。": (
        "Tick the invoices and paper vouchers to claim. When you are not the passenger, "
        "explain why on that row. Save the draft to see the policy findings, then submit."
    ),
    "可报销的发票": "Invoices available to claim",
    "乘车人非本人时填写": "Needed when you are not the passenger",
    "没有可报销的发票。": "No invoices available to claim.",
    "保存草稿": "Save draft",
    "纸质": "paper",
    "号码": "Number",
    "删除": "Remove",
    "报销单里还没有票据。": "The claim has no items yet.",
    "报销人": "Claimant",
    "待审批人": "Awaiting",
    "退回原因": "Reason for rejection",
    "记账凭证": "Journal vouchers",
    "阻止提交的问题": "Findings that block submission",
    "提示事项（审批时须确认）": "Warnings (acknowledged on approval)",
    "办理": "Actions",
    "提交后由审批人审批；有阻止提交的问题时不能提交。": (
        "Once submitted, your approver decides; a claim with blocking findings cannot be submitted."
    ),
    "提交审批": "Submit for approval",
    "审批前可以撤回修改。": "Before anyone approves, you may withdraw it to change it.",
    "审批意见": "Comment",
    "已阅读并确认提示事项（{n} 条）": "I have read and acknowledge the warnings ({n})",
    "记账日期": "Booking date",
    "支付日期": "Paid on",
    "银行流水号": "Bank reference",
    "第 {n} 级": "Level {n}",
    "已确认 {n} 条提示": "{n} warnings acknowledged",
    "历史": "History",
    "打印报销单": "Print the claim form",
    "报销单已保存为草稿。": "The claim is saved as a draft.",
    "已提交审批。": "Submitted for approval.",
    "已撤回，报销单回到草稿。": "Withdrawn; the claim is a draft again.",
    "已批准。": "Approved.",
    "已退回。": "Rejected.",
    "已从报销单中删除。": "Removed from the claim.",
    "已入账。": "Booked.",
    "已支付。": "Paid.",
    "提交给您（或您代理的审批人）的报销单。红色问题阻止入账，黄色提示须在批准时确认。": (
        "Claims submitted to you (or to the approver you stand in for). Red findings block "
        "booking; yellow warnings are acknowledged when you approve."
    ),
    "政策提示": "Policy findings",
    "无": "None",
    "没有等待您审批的报销单。": "No claims await your approval.",
    "不相容职务分离：审批过的报销单由另一位财务入账，入账人不能支付同一报销单。": (
        "Segregation of duties: whoever approved a claim does not book it, and whoever "
        "booked it does not pay it."
    ),
    "没有。": "None.",
    # The printable claim form
    "差旅费报销单": "Travel expense claim",
    "返回报销单": "Back to the claim",
    "打印": "Print",
    "序号": "No.",
    "合计（小写）": "Total (figures)",
    "合计（大写）": "Total (in words)",
    "审批记录": "Approval trail",
    "时间": "Time",
    "办理人": "By",
    "操作": "Action",
    "意见": "Comment",
    "报销人签字": "Claimant's signature",
    "出纳": "Cashier",
}

LEDGER_EN: dict[str, str] = {
    "记账凭证": "Journal vouchers",
    "会计期间": "Accounting periods",
    "进项税额": "Input VAT",
    "导出 CSV": "Export CSV",
    "导出 Excel": "Export Excel",
    "凭证号": "Voucher no.",
    "日期": "Date",
    "类型": "Kind",
    "分录": "Lines",
    "制单": "Prepared by",
    "审核": "Approved by",
    "记账": "Booking",
    "付款": "Payment",
    "冲销": "Reversal",
    "这个期间还没有凭证。": "No vouchers in this period.",
    "返回凭证列表": "Back to the vouchers",
    "附件张数": "Attachments",
    "摘要": "Memo",
    "科目": "Account",
    "借方": "Debit",
    "贷方": "Credit",
    "结账后该期间不能再记账或付款；更正用冲销凭证记入开放期间。只有管理员可以反结账。": (
        "A closed period takes no bookings or payments; corrections are reversal vouchers in "
        "an open period. Only administrators reopen a period."
    ),
    "凭证数": "Vouchers",
    "结账时间": "Closed at",
    "开放": "Open",
    "已结账": "Closed",
    "结账": "Close",
    "反结账": "Reopen",
    "国内旅客运输服务的可抵扣进项税额，用于增值税申报表附列资料（二）："
    "电子发票按用途确认月份，纸质报销凭证按记账月份。": (
        "Deductible input VAT on domestic passenger transport, for 增值税申报表附列资料（二）: "
        "e-invoices by the month of their deduction confirmation, paper vouchers by booking "
        "month."
    ),
    "份数": "Count",
    "票价合计": "Fares",
    "可抵扣税额": "Deductible tax",
    "电子发票（铁路电子客票）": "E-invoices (railway e-tickets)",
    "电子发票（航空运输电子客票行程单）": "E-invoices (air e-itineraries)",
    "纸质行程单": "Paper itineraries",
    "铁路": "Railway",
    "航空": "Air",
    "小计": "Subtotal",
    "航空一行的票价合计为票价加燃油附加费（计税依据）。": (
        "For air, fares are 票价 plus fuel surcharge (the tax base)."
    ),
}

AUDIT_EN: dict[str, str] = {
    "审计与档案": "Audit and archive",
    "档案导出": "Archive export",
    "四性检测": "Integrity check (四性)",
    "审计日志": "Audit log",
    "按会计期间导出电子会计档案：BagIt 格式的 ZIP（含清单、校验值、索引和审计链头），"
    "可用 bagit 工具校验。导出会记入审计日志。": (
        "Export the electronic accounting archive by period: a BagIt ZIP (manifests, "
        "checksums, an index and the audit chain's head) that the bagit tool validates. The "
        "export is recorded in the audit log."
    ),
    "起始期间": "From period",
    "截止期间": "To period",
    "下载 ZIP": "Download ZIP",
    "四性检测报告": "Integrity report",
    "真实性、完整性、可用性、安全性：逐一核对存储的原件、XBRL、档案记录、元数据和审计链。": (
        "Authenticity, integrity, usability and security: the stored originals, XBRL, archive "
        "records, metadata and the audit chain, each checked."
    ),
    "通过": "Passed",
    "没有发现问题。": "No problems found.",
    "未通过": "Failed",
    "发现 {n} 个问题。": "{n} problems found.",
    "检查范围": "What was checked",
    "对象": "Object",
    "数量": "Count",
    "问题": "Failures",
    "提醒": "Warnings",
    "方面": "Aspect",
    "检查": "Check",
    "真实性": "Authenticity",
    "完整性": "Integrity",
    "可用性": "Usability",
    "安全性": "Security",
    "审计链头": "Audit chain head",
    "与以前导出记录的链头比对（可选）": (
        "Compare with a head recorded in an earlier export (optional)"
    ),
    "重新检测": "Check again",
    "验证审计链": "Verify the chain",
    "审计链完整：已核对 {n} 条记录，链头 #{seq}。": (
        "The audit chain is intact: {n} events checked, head #{seq}."
    ),
    "审计链被破坏：第 {seq} 条记录。": "The audit chain is broken at event {seq}.",
    "对象类型": "Object type",
    "对象编号": "Object id",
    "日期从": "Date from",
    "详情": "Details",
    "没有符合条件的记录。": "No events match.",
}

SETTINGS_EN: dict[str, str] = {
    "报销政策": "Claim policy",
    "政策已保存。": "The policy is saved.",
    "二级审批金额（元）": "Second-level approval above (CNY)",
    "超过此金额还需上级的上级审批": "Claims above this also need the manager's manager",
    "一等座最低职级": "Lowest grade for first class",
    "商务座最低职级": "Lowest grade for business class",
    "经济舱舱位字母": "Economy booking classes",
    "公务舱舱位字母": "Business booking classes",
    "头等舱舱位字母": "First booking classes",
    "航班舱位字母按此表归入经济舱、公务舱、头等舱": (
        "A flight's booking-class letter is economy, business or first by this table"
    ),
    "公务舱须达到一等座最低职级": "Business class needs the first-class grade",
    "头等舱须达到商务座最低职级": "First class needs the business-class grade",
    "逾期报销天数": "Late after (days)",
    "乘车后超过此天数提交时提示": "Warn when a claim comes this many days after travel",
    "备用审批人": "Fallback approver",
    "员工没有直属上级时由此人审批": "Approves for employees who have no manager",
    "不相容职务分离（审批人不入账，入账人不付款）": (
        "Segregation of duties (an approver does not book, a booker does not pay)"
    ),
    "保存": "Save",
    "上次修改": "Last changed",
    "使用默认值": "Using the defaults",
    "Webhook 推送": "Webhooks",
    "事件发生时向对接系统推送 JSON，带 Railclaim-Signature 签名（HMAC-SHA256）；"
    "失败按指数退避重试。": (
        "Events are posted as JSON to integrated systems, signed in Railclaim-Signature "
        "(HMAC-SHA256); failures are retried with exponential backoff."
    ),
    "签名密钥（只显示这一次，请立即复制保存）": "Signing secret (shown this once: copy it now)",
    "事件": "Events",
    "全部事件": "All events",
    "推送记录": "Deliveries",
    "还没有 Webhook。": "No webhooks yet.",
    "新建 Webhook": "New webhook",
    "接收地址": "Receiver URL",
    "签名密钥": "Signing secret",
    "留空则自动生成；至少 16 个字符": "Empty: generated; at least 16 characters",
    "不选表示全部事件": "None ticked: every event",
    "返回": "Back",
    "已安排重新推送。": "The delivery is scheduled again.",
    "尝试次数": "Attempts",
    "最近结果": "Last result",
    "最近尝试": "Last attempt",
    "下次尝试": "Next attempt",
    "重试": "Retry",
    "还没有推送。": "No deliveries yet.",
}
