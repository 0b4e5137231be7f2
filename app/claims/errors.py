"""Problems of the claim workflow; each names its slug in the problem catalogue."""

from __future__ import annotations

from typing import Any

from app.claims.policy import Finding
from app.problems import AppError, Conflict, Forbidden


def findings_json(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "item_id": str(f.item_id) if f.item_id else None,
        }
        for f in findings
    ]


class InvalidState(Conflict):
    slug, title = "invalid-state", "Not allowed in the claim's current state"

    def __init__(self, detail: str, *, state: str) -> None:
        super().__init__(detail, state=state)


class ItemAlreadyClaimed(Conflict):
    slug, title = "item-already-claimed", "This document is already in a claim"
    explanation = (
        "An invoice or paper voucher belongs to one claim at a time, whatever its state; remove it"
        " from the other draft first. `existing_claim_id` names the claim when known."
    )


class ItemNotClaimable(Conflict):
    slug, title = "item-not-claimable", "This document cannot be claimed"
    explanation = "Void and red-letter documents are not reimbursed; `reason` says which applies."


class BlockingFindings(Conflict):
    slug, title = "blocking-findings", "The claim has blocking findings"
    explanation = "Policy findings of severity `block` prevent this step; `findings` lists them."

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("Resolve the blocking findings first.", findings=findings_json(findings))


class WarningsNotAcknowledged(Conflict):
    slug, title = "warnings-not-acknowledged", "Warnings must be acknowledged"
    explanation = "The claim has `warn` findings; approve again with `acknowledge_warnings: true`."

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            "Approve with `acknowledge_warnings: true` after reading the warnings.",
            findings=findings_json(findings),
        )


class NoApprover(AppError):
    status, slug, title = 422, "no-approver", "Nobody can approve this claim"
    explanation = (
        "The claimant has no manager (or no second-level manager above the entity's threshold) and"
        " the entity names no fallback approver."
    )


class SelfApproval(Forbidden):
    slug, title = "self-approval", "Nobody approves their own claim"
    explanation = "Another approver must decide."
