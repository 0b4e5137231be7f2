"""Presenting claims on pages: states, findings and history in the clerk's words, with names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.auth.models import Role
from app.auth.principal import Principal
from app.claims.schemas import ClaimOut, RejectionOut
from app.web.i18n import Lang, translate
from app.web.present import BUSINESS_TYPES
from app.web.problem_texts import FINDINGS_ZH

CLAIM_STATES = {
    "draft": "草稿",
    "submitted": "待审批",
    "approved": "已审批",
    "booked": "已入账",
    "paid": "已支付",
}
HISTORY_ACTIONS = {
    "created": "创建",
    "submitted": "提交",
    "withdrawn": "撤回",
    "approved": "批准",
    "rejected": "退回",
    "booked": "入账",
    "paid": "支付",
}
# The blocking finding a 说明 clears (the item stays in the claim).
JUSTIFIED_BY_TEXT = "passenger-not-claimant"
SEVERITIES = {"block": "阻止", "warn": "提示"}
VOUCHER_KINDS = {"booking": "报销入账", "payment": "付款", "reversal": "红字冲销"}
DONE_MESSAGES = {
    "created": "报销单已保存为草稿。",
    "submitted": "已提交审批。",
    "withdrawn": "已撤回，报销单回到草稿。",
    "approved": "已批准。",
    "rejected": "已退回。",
    "removed": "已从报销单中删除。",
    "added": "已添加到报销单。",
    "edited": "标题和事由已保存。",
    "justified": "说明已保存。",
    "booked": "已入账。",
    "paid": "已支付。",
}


@dataclass(frozen=True)
class ClaimActions:
    """Which forms the detail page offers; the services still decide, these only hide noise."""

    submit: bool
    withdraw: bool
    edit: bool
    decide: bool
    reject: bool
    book: bool
    pay: bool


def claim_actions(principal: Principal, claim: ClaimOut) -> ClaimActions:
    mine = claim.claimant == principal.id
    finance = principal.has_role(Role.FINANCE) and claim.entity in principal.entity_ids
    deciding = (
        claim.state == "submitted"
        and not mine
        and (claim.awaiting_approver == principal.id or principal.has_role(Role.APPROVER))
    )
    return ClaimActions(
        submit=mine and claim.state == "draft",
        withdraw=mine and claim.state == "submitted" and not claim.approvals,
        edit=mine and claim.state == "draft",
        decide=deciding,
        reject=deciding or (finance and not mine and claim.state in ("submitted", "approved")),
        book=finance and claim.state == "approved",
        pay=finance and claim.state == "booked",
    )


def finding_text(lang: Lang, code: str, message: str) -> str:
    if lang == "en":
        return message
    return FINDINGS_ZH.get(code, message)


def claim_view(lang: Lang, claim: ClaimOut, names: dict[Any, str]) -> dict[str, Any]:
    """The claim with labels and names ready to print; findings keyed to their item."""
    labels = {
        item.id: f"{item.train_number or item.flight_number or item.number}" for item in claim.items
    }
    findings = [
        {
            "severity": f.severity,
            "severity_label": translate(lang, SEVERITIES[f.severity]),
            "code": f.code,
            "text": finding_text(lang, f.code, f.message),
            "item": labels.get(f.item_id) if f.item_id else None,
            "item_id": f.item_id,
        }
        for f in claim.findings
    ]
    return {
        "claim": claim,
        "business_types": BUSINESS_TYPES,
        "state_label": translate(lang, CLAIM_STATES.get(claim.state, claim.state)),
        "claimant": names.get(claim.claimant, "—"),
        "awaiting": names.get(claim.awaiting_approver) if claim.awaiting_approver else None,
        "findings": findings,
        # Items a blocking finding asks a 说明 for: their inline form is marked and opened.
        "needs_justification": {
            f.item_id for f in claim.findings if f.code == JUSTIFIED_BY_TEXT and f.item_id
        },
        "current_rejection": current_rejection(claim),
        "blocks": [f for f in findings if f["severity"] == "block"],
        "warns": [f for f in findings if f["severity"] == "warn"],
        "history": [
            {
                "action": translate(lang, HISTORY_ACTIONS.get(h.action, h.action)),
                "actor": names.get(h.actor, "—"),
                "at": h.at,
                "comment": h.comment,
            }
            for h in claim.history
        ],
        "approvals": [
            {
                "level": a.level,
                "approver": names.get(a.approver, "—"),
                "at": a.at,
                "comment": a.comment,
                "acknowledged": len(a.acknowledged_warnings),
            }
            for a in claim.approvals
        ],
    }


def current_rejection(claim: ClaimOut) -> RejectionOut | None:
    """The rejection the draft sits in, if it does: once resubmitted it is history only.

    The API keeps `last_rejection` for good (SPEC); a page shows it as news only while the
    latest submit/withdraw/reject was that rejection.
    """
    if claim.state != "draft" or claim.last_rejection is None:
        return None
    moves = [h.action for h in claim.history if h.action in ("submitted", "withdrawn", "rejected")]
    return claim.last_rejection if moves and moves[-1] == "rejected" else None


def people_of(claim: ClaimOut) -> set[Any]:
    """Every user a claim page names."""
    return (
        {claim.claimant, claim.awaiting_approver}
        | {a.approver for a in claim.approvals}
        | {h.actor for h in claim.history}
    )
