"""Refusals and invoice warnings in words a clerk understands: (中文标题, 中文提示, English hint).

The API's problem `title` stays English (integrators match on `type`); pages show these instead,
then the problem's own `detail` for the specifics.
"""

from __future__ import annotations

PROBLEMS: dict[str, tuple[str, str, str]] = {
    "duplicate-invoice": (
        "这张发票已经上传过",
        "无需再次上传，点击链接查看已有的发票。",
        "No need to upload it again; follow the link to the stored invoice.",
    ),
    "ticket-already-claimed": (
        "这张车票已由另一份凭证报销",
        "同一张车票只能凭电子发票或纸质报销凭证报销一次。",
        "A ticket is reimbursed once: by its e-invoice or by its paper voucher.",
    ),
    "buyer-mismatch": (
        "发票抬头不是本公司",
        "购买方名称和统一社会信用代码须与您所在的公司一致；请在 12306 以公司抬头重新开具。",
        "The buyer name and USCC must match your company; re-issue the invoice in 12306 with "
        "the company as buyer.",
    ),
    "unreadable-file": (
        "文件无法读取",
        "文件已损坏、不完整或不安全。请从 12306 重新下载原文件。",
        "The file is damaged, incomplete or unsafe. Download the original again from 12306.",
    ),
    "encrypted-file": (
        "文件已加密",
        "请上传 12306 下载的原始文件，不要加密或加口令。",
        "Upload the file exactly as 12306 delivered it, without a password.",
    ),
    "not-a-travel-invoice": (
        "这不是铁路或航空电子客票发票",
        "此处只接收电子发票（铁路电子客票）和电子发票（航空运输电子客票行程单）；其他发票请走其他报销流程。",
        "Only railway e-ticket invoices and air e-itineraries are taken here; other invoices "
        "follow another process.",
    ),
    "unsupported-format": (
        "不支持的文件格式",
        "请上传 PDF、OFD、XML 或 ZIP 文件。",
        "Upload PDF, OFD, XML or ZIP files.",
    ),
    "too-large": (
        "文件太大",
        "文件超过了允许的大小；铁路电子发票通常只有几十 KB。",
        "The file exceeds the size limit; a railway e-invoice is usually a few dozen KB.",
    ),
    "paper-after-transition": (
        "纸质报销凭证已于 2025-09-30 停用",
        "2025 年 9 月 30 日之后乘车的行程只能凭电子发票报销。",
        "Trips after 30 September 2025 are reimbursed only with the e-invoice.",
    ),
    "duplicate-paper-voucher": (
        "这张纸质报销凭证已经登记过",
        "同一印刷序号的凭证只能登记一次。",
        "A voucher with this serial number is registered once.",
    ),
    "invalid-credentials": ("用户名或密码错误", "", ""),
    "account-disabled": (
        "账户已停用",
        "管理员已停用该账户，请联系管理员。",
        "An administrator deactivated this account; ask an administrator.",
    ),
    "account-locked": (
        "账户已暂时锁定",
        "登录失败次数过多，请稍后再试或联系管理员。",
        "Too many failed logins; try again later or ask an administrator.",
    ),
    "validation-error": (
        "填写的内容有误",
        "请按提示修改标出的字段。",
        "Correct the marked fields.",
    ),
    "duplicate-username": ("用户名已被占用", "", ""),
    "duplicate-entity": ("该法人实体已存在", "", ""),
    "forbidden": ("没有权限", "您的角色不允许此操作。", "Your roles do not permit this action."),
    "not-found": ("找不到该页面或对象", "", ""),
    "csrf-failed": (
        "表单已失效",
        "请返回上一页刷新后重新提交。",
        "Go back, reload the page and submit again.",
    ),
    "conflict": ("与当前状态冲突", "", ""),
    "invalid-state": ("当前状态下不允许此操作", "", ""),
    "blocking-findings": (
        "报销单有阻止提交的问题",
        "请先按红色提示处理（删除作废的票据、补充说明等），再提交。",
        "Resolve the findings marked in red first (remove void items, add justifications), "
        "then submit.",
    ),
    "warnings-not-acknowledged": (
        "请先确认提示事项",
        "审批前请阅读黄色提示，勾选“已阅读并确认提示事项”后再批准。",
        "Read the warnings, tick the acknowledgement box, then approve.",
    ),
    "no-approver": (
        "找不到审批人",
        "您没有直属上级，公司也没有设置备用审批人；请联系管理员。",
        "You have no manager and the company names no fallback approver; ask an administrator.",
    ),
    "item-already-claimed": (
        "这张票据已在另一份报销单中",
        "同一张发票或纸质凭证同时只能在一份报销单里。",
        "An invoice or paper voucher sits in one claim at a time.",
    ),
    "item-not-claimable": ("这张票据不能报销", "", ""),
    "self-approval": (
        "不能审批自己的报销单",
        "报销单须由他人审批。",
        "Someone else approves your claim.",
    ),
    "segregation-of-duties": (
        "不相容职务分离：此操作须由另一位财务人员完成",
        "审批人不能入账同一报销单，入账人不能支付同一报销单。",
        "Whoever approved a claim does not book it; whoever booked it does not pay it.",
    ),
    "period-closed": (
        "会计期间已结账",
        "已结账的期间不能再记账；请选择开放期间的日期，或请管理员反结账。",
        "A closed period takes no postings; pick a date in an open period or ask an "
        "administrator to reopen it.",
    ),
    "paper-original-missing": (
        "纸质原件尚未签收",
        "纸质报销凭证的原件交到财务并签收后才能入账。",
        "A paper voucher is booked only after finance has received its original.",
    ),
    "retention-active": ("档案仍在保管期内", "", ""),
    "record-not-as-sealed": (
        "档案记录与封存内容不符",
        "该档案记录已被改动，不予销毁；请先运行档案检测（四性检测）查明差异。",
        "The record was changed since it was sealed and is not purged; run the archive check "
        "to see what differs.",
    ),
    "request-in-progress": ("请求正在处理中", "", ""),
    "audit-log-damaged": (
        "审计日志已损坏",
        "在修复之前不能保存任何更改：请管理员运行 railclaim archive verify 查看损坏之处。",
        "Changes are refused until the audit log is repaired: an admin runs "
        "railclaim archive verify, which names the damage.",
    ),
    "internal-error": (
        "系统出错了",
        "请稍后再试；如仍出错，请把请求编号告诉管理员。",
        "Try again later; if it persists, give the request id to an administrator.",
    ),
}

# A refusal about a stored document the viewer may not see (`existing_invoice` or
# `existing_paper_voucher` in the problem): (中文, English), in place of the problem's hint.
UNSEEN_EXISTING: dict[tuple[str, str], tuple[str, str]] = {
    ("invoice", "another-entity"): (
        "已有的是其他主体的发票，您无法查看；同一张发票或车票在全系统只能报销一次。",
        "It is another entity's invoice, which you cannot see; an invoice or ticket is "
        "reimbursed once across all entities.",
    ),
    ("invoice", "not-visible"): (
        "已有的发票您无权查看；如有疑问请联系财务。",
        "It is an invoice you cannot see; ask finance if in doubt.",
    ),
    ("paper_voucher", "another-entity"): (
        "已有的是其他主体的纸质报销凭证，您无法查看；同一张车票只能报销一次。",
        "It is another entity's paper voucher, which you cannot see; a ticket is reimbursed once.",
    ),
    ("paper_voucher", "not-visible"): (
        "已有的纸质报销凭证您无权查看；如有疑问请联系财务。",
        "It is a paper voucher you cannot see; ask finance if in doubt.",
    ),
}

WARNINGS_ZH: dict[str, str] = {
    "near-duplicate": "同一乘车人、车次、日期已有另一张发票，请确认不是重复报销。",
    "no-e-ticket-number": "发票上没有电子客票号，无法按车票查重。",
    "passenger-not-uploader": "乘车人不是上传人本人。",
    "original-unknown": "找不到这张发票对应的原发票。",
    "sale-unknown": "找不到这笔退票费或改签费对应的购票发票。",
    "ticket-reissued": "同一车票有两张有效的蓝字发票（换开），需等待红字发票冲销其中一张。",
    "voided-while-claimed": "发票在报销途中被红冲作废。",
    "booked-original-voided": "已入账的原发票被红冲，需做冲销凭证。",
    "tax-unknown": "票面未印税率，可抵扣税额按零处理。",
    "business-type-unclear": "票面与结构化数据对业务类型（售/退/改签）说法不一，需财务确认。",
    "face-font-unreadable": "票面部分文字因字体特殊无法识别，已按结构化数据读取。",
    "face-not-read": "票面上没有可读取的文字，无法与结构化数据核对，请核对原件。",
    "extra-pages": "文件有多页，只读取了第一页的发票：请每张发票单独上传。",
    "xbrl-unrecognised": "所附结构化数据（XBRL）未能识别，已按票面读取，请核对。",
    "issued-in-future": "开票日期晚于今天，不能报销。",
}

FINDINGS_ZH: dict[str, str] = {
    "no-items": "报销单至少需要一张发票或纸质凭证。",
    "item-void": "票据已被红字发票作废，请从报销单中删除。",
    "ticket-reissued": "同一车票有另一张有效发票（换开），需等待红字发票。",
    "business-type-unclear": "发票的业务类型（售/退/改签）不明确，需财务确认后才能报销。",
    "invoice-arithmetic": (
        "发票金额不能相互勾稽（票价、不含税金额、税额），不能按原票报销，请取得更正后的发票。"
    ),
    "face-xbrl-mismatch": "发票票面与所附结构化数据（XBRL）不一致，审批前请核对。",
    "passenger-not-claimant": "乘车人不是报销人本人，请为该票据填写说明。",
    "verification-mismatch": "查验结果与发票数据不一致。",
    "unverified": "发票尚未通过税务平台查验。",
    "seat-class-above-grade": "席别超出职级标准。",
    "late-submission": "乘车后超过规定天数才报销。",
    "sale-unknown": "退票费或改签费找不到对应的购票发票。",
    "paper-original-missing": "纸质原件尚未交到财务，签收前不能入账。",
    "near-duplicate": "另有同一乘车人、车次、日期的票据，请确认不是重复报销。",
    "issued-in-future": "开票日期晚于今天（北京时间），不能提交报销。",
}
