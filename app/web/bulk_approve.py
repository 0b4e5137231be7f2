"""Approving several claims from the inbox: each claim is the single approve, standing alone.

Stand-in until the claims service offers bulk approval itself (issue 16, SPEC "bulk work"):
the same rules, one transaction per claim, a refusal rolls back that claim only.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.claims import service
from app.claims.schemas import ApproveBody
from app.kit.text import Paragraph
from app.problems import AppError, problem_body

ApproveResult = tuple[uuid.UUID, dict[str, Any] | None]  # (claim, its refusal or None)


class BulkApproveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    comment: Paragraph | None = None
    acknowledge_warnings: bool = False


def bulk_approve(
    session: Session, actor: service.Actor, body: BulkApproveBody
) -> list[ApproveResult]:
    decision = ApproveBody(comment=body.comment, acknowledge_warnings=body.acknowledge_warnings)
    results: list[ApproveResult] = []
    for claim_id in dict.fromkeys(body.claim_ids):
        try:
            service.approve_claim(session, actor, claim_id, decision)
        except AppError as exc:
            session.rollback()
            results.append((claim_id, problem_body(exc)))
            continue
        results.append((claim_id, None))
    return results
