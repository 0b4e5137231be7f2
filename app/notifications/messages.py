"""The text of each notification, in Chinese (the default) or English; plain text, no HTML."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ClaimNotice:
    """What a claim notification says, handed over by the claim workflow."""

    claim_id: uuid.UUID
    number: str
    title: str
    total: Decimal
    claimant_name: str
    reason: str | None = None
    paid_on: dt.date | None = None


_SUBJECTS = {
    "zh-CN": {
        "claim.awaiting": "待审批：报销单 {number}（{claimant}，¥{total}）",
        "claim.approved": "报销单 {number} 已审批通过",
        "claim.rejected": "报销单 {number} 被退回",
        "claim.paid": "报销单 {number} 已付款",
    },
    "en": {
        "claim.awaiting": "Awaiting your approval: claim {number} ({claimant}, ¥{total})",
        "claim.approved": "Claim {number} was approved",
        "claim.rejected": "Claim {number} was returned",
        "claim.paid": "Claim {number} was paid",
    },
}
_BODIES = {
    "zh-CN": {
        "claim.awaiting": "{claimant} 提交的报销单 {number}「{title}」"
        "（合计 ¥{total}）等待您审批。",
        "claim.approved": "您的报销单 {number}「{title}」（合计 ¥{total}）"
        "已审批通过，等待财务入账。",
        "claim.rejected": "您的报销单 {number}「{title}」被退回。\n退回原因：{reason}\n"
        "请修改后重新提交。",
        "claim.paid": "您的报销单 {number}「{title}」已于 {paid_on} 付款，金额 ¥{total}。",
    },
    "en": {
        "claim.awaiting": '{claimant} submitted claim {number} "{title}" (total ¥{total}); '
        "it awaits your approval.",
        "claim.approved": 'Your claim {number} "{title}" (total ¥{total}) was approved; '
        "finance books it next.",
        "claim.rejected": 'Your claim {number} "{title}" was returned.\nReason: {reason}\n'
        "Change it and submit it again.",
        "claim.paid": 'Your claim {number} "{title}" was paid on {paid_on}: ¥{total}.',
    },
}
_LINK = {"zh-CN": "\n\n查看报销单：{url}", "en": "\n\nOpen the claim: {url}"}
_FOOTER = {
    "zh-CN": "\n\n—— railclaim 报销系统（自动发送，请勿回复）",
    "en": "\n\n-- railclaim (sent automatically; do not reply)",
}


def render_notice(kind: str, language: str, notice: ClaimNotice) -> tuple[str, str]:
    """Subject and body of `kind` in `language` (unknown languages read Chinese)."""
    lang = language if language in _SUBJECTS else "zh-CN"
    values = {
        "number": notice.number,
        "title": notice.title,
        "total": f"{notice.total:.2f}",
        "claimant": notice.claimant_name,
        "reason": notice.reason or "",
        "paid_on": notice.paid_on.isoformat() if notice.paid_on else "",
    }
    subject = _SUBJECTS[lang][kind].format(**values)
    return subject[:300], _BODIES[lang][kind].format(**values)


def email_text(body: str, language: str, claim_url: str | None) -> str:
    """The body as sent: the notice, the claim's link when the public address is known, the
    footer. Added when sending, so the link follows the configured address of that moment."""
    lang = language if language in _FOOTER else "zh-CN"
    link = _LINK[lang].format(url=claim_url) if claim_url else ""
    return body + link + _FOOTER[lang]
