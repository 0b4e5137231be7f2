"""Words for the codes auditors meet: audit actions, object types, 四性 checks and counts.

The codes stay the stable interface (API, exports); pages show these labels (Chinese source
text, translated like every other page text) with the code beside where it helps a search.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "auth.login": "登录",
    "auth.login-failed": "登录失败",
    "auth.logout": "退出登录",
    "user.created": "用户创建",
    "user.updated": "修改用户",
    "user.password-set": "重设密码",
    "user.password-changed": "修改密码",
    "token.created": "创建 API 令牌",
    "token.revoked": "吊销 API 令牌",
    "entity.created": "创建法人实体",
    "claim-policy.updated": "修改报销政策",
    "invoice.uploaded": "发票上传",
    "invoice.rendition-added": "补充版式文件",
    "invoice.deduction-confirmed": "用途确认登记",
    "paper-voucher.registered": "登记纸质凭证",
    "paper-voucher.scanned": "上传纸质凭证扫描件",
    "paper-voucher.received": "签收纸质原件",
    "claim.created": "创建报销单",
    "claim.edited": "修改报销单",
    "claim.item-added": "票据添加",
    "claim.item-removed": "删除票据",
    "claim.item-justified": "填写票据说明",
    "claim.deleted": "删除报销单草稿",
    "claim.submitted": "提交报销单",
    "claim.withdrawn": "撤回报销单",
    "claim.approved": "批准报销单",
    "claim.rejected": "退回报销单",
    "claim.booked": "报销单入账",
    "claim.paid": "报销单支付",
    "voucher.reversed": "红字冲销凭证",
    "vouchers.exported": "导出凭证",
    "period.closed": "会计期间结账",
    "period.reopened": "会计期间反结账",
    "archive.recorded": "归档",
    "archive.exported": "导出档案",
    "archive.purged": "销毁到期档案",
    "approval-substitute.created": "指定审批代理人",
    "approval-substitute.deleted": "取消审批代理人",
    "webhook.created": "创建 Webhook",
    "webhook.deleted": "删除 Webhook",
    "webhook.delivery_retried": "重发 Webhook 推送",
}

OBJECT_TYPE_LABELS: dict[str, str] = {
    "user": "用户",
    "api_token": "API 令牌",
    "legal_entity": "法人实体",
    "claim_policy": "报销政策",
    "invoice": "发票",
    "paper_voucher": "纸质凭证",
    "claim": "报销单",
    "voucher": "记账凭证",
    "period": "会计期间",
    "archive_record": "档案记录",
    "approval_substitute": "审批代理人",
    "webhook_subscription": "Webhook 订阅",
    "webhook_delivery": "Webhook 推送记录",
}

# What the 四性 report counted.
CHECKED_LABELS: dict[str, str] = {
    "stored_files": "存储的文件",
    "invoice_files": "发票原件",
    "invoice_xbrls": "发票 XBRL",
    "paper_scans": "纸质凭证扫描件",
    "archive_files": "档案文件",
    "xbrl_parsed": "解析的 XBRL",
    "audit_events": "审计记录",
    "vouchers": "记账凭证",
    "archive_records": "档案记录",
    "archive_seals": "档案封印",
    "content_seals": "内容封印",
    "content_unsealed": "未封印的内容",
    "chain_records": "审计链中的档案记录",
    "period_statuses": "会计期间状态",
}

# The check behind a failure or warning.
CHECK_LABELS: dict[str, str] = {
    "file-missing": "文件缺失",
    "file-hash": "文件校验值不符",
    "archive-record-incomplete": "档案记录不完整",
    "archive-record-mismatch": "档案记录与凭证不一致",
    "archive-record-missing": "档案记录缺失",
    "claim-state": "报销单状态与封印不符",
    "sealed-before-content-seal": "内容封印之前归档",
    "xbrl-unreadable": "XBRL 无法读取",
    "xbrl-mismatch": "XBRL 与记录不一致",
    "audit-chain": "审计链被破坏",
    "archive-seal": "档案封印不符",
    "metadata-mismatch": "元数据与记录不一致",
    "metadata-unreadable": "元数据无法读取",
    "content-seal": "内容封印不符",
    "invoice-unverified": "发票未经查验",
    "retention-ended": "已过保管期限",
    "period-status": "会计期间状态与审计记录不符",
    "voucher-numbering": "凭证编号不连续",
    "invoice-file-missing": "发票文件缺失",
    "invoice-file-changed": "已归档发票的文件被更换",
    "verify-checkpoint": "检测检查点被篡改",
    "check-incomplete": "检测未能完成",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPE_LABELS.get(code, code)
