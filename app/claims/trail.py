"""A claim's approval trail, loaded once for whoever judges, shows or archives it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.claims.models import Claim, ClaimApproval, ClaimHistory


@dataclass(frozen=True)
class ClaimTrail:
    approvals: list[ClaimApproval]  # every round, by round then level
    history: list[ClaimHistory]  # oldest first

    def current_approver_ids(self, claim: Claim) -> set[uuid.UUID]:
        """Who approved the claim in its current round (a rejection starts a new round)."""
        return {
            a.approver_id
            for a in self.approvals
            if a.round == claim.round and a.level <= claim.approved_levels
        }

    def last_approver_id(self, claim: Claim) -> uuid.UUID | None:
        """The approver of the highest level of the current round: the voucher's 审核."""
        current = [a for a in self.approvals if a.round == claim.round]
        return max(current, key=lambda a: a.level).approver_id if current else None


def load_trail(session: Session, claim: Claim | None) -> ClaimTrail:
    if claim is None:
        return ClaimTrail([], [])
    approvals = session.exec(
        select(ClaimApproval)
        .where(ClaimApproval.claim_id == claim.id)
        .order_by(col(ClaimApproval.round), col(ClaimApproval.level))
    ).all()
    history = session.exec(
        select(ClaimHistory)
        .where(ClaimHistory.claim_id == claim.id)
        .order_by(col(ClaimHistory.at), col(ClaimHistory.id))
    ).all()
    return ClaimTrail(list(approvals), list(history))
