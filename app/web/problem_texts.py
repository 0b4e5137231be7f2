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
    "not-a-railway-invoice": (
        "这不是铁路电子客票发票",
        "此处只接收电子发票（铁路电子客票）；其他发票请走其他报销流程。",
        "Only railway e-ticket invoices are taken here; other invoices follow another process.",
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
    "internal-error": (
        "系统出错了",
        "请稍后再试；如仍出错，请把请求编号告诉管理员。",
        "Try again later; if it persists, give the request id to an administrator.",
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
}
