"""Claim commands: each locks the claim, checks, changes, records history and audit, commits."""

from app.claims.service.common import Actor, current_approver_ids, record_transition
from app.claims.service.drafting import add_item, create_claim, remove_item
from app.claims.service.workflow import approve_claim, reject_claim, submit_claim, withdraw_claim

__all__ = [
    "Actor",
    "add_item",
    "approve_claim",
    "create_claim",
    "current_approver_ids",
    "record_transition",
    "reject_claim",
    "remove_item",
    "submit_claim",
    "withdraw_claim",
]
