"""Claim commands: each locks the claim, checks, changes, records history and audit, commits."""

from app.auth.actor import Actor
from app.claims.service.bulk import bulk_approve_claims
from app.claims.service.common import current_approver_ids, notify_claim, record_transition
from app.claims.service.drafting import add_item, create_claim, remove_item
from app.claims.service.editing import delete_draft, set_item_justification, update_draft
from app.claims.service.reassign import reassign_approver
from app.claims.service.workflow import approve_claim, reject_claim, submit_claim, withdraw_claim

__all__ = [
    "Actor",
    "add_item",
    "approve_claim",
    "bulk_approve_claims",
    "create_claim",
    "current_approver_ids",
    "delete_draft",
    "notify_claim",
    "reassign_approver",
    "record_transition",
    "reject_claim",
    "remove_item",
    "set_item_justification",
    "submit_claim",
    "update_draft",
    "withdraw_claim",
]
