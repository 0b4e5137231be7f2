"""Approving many claims at once: each is the single approve, in its own transaction."""

from __future__ import annotations

from sqlmodel import Session

from app.auth.actor import Actor
from app.claims.schemas import ApproveBody, BulkApproveBody
from app.claims.service.workflow import approve_claim
from app.kit.bulk import BulkResult, run_each


def bulk_approve_claims(session: Session, actor: Actor, body: BulkApproveBody) -> BulkResult:
    decision = ApproveBody(comment=body.comment, acknowledge_warnings=body.acknowledge_warnings)
    return run_each(
        session, body.claim_ids, lambda claim_id: approve_claim(session, actor, claim_id, decision)
    )
