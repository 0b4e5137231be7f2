"""Bulk commands: run a single-item command per id, each in its own transaction, and report.

Each item stands alone: a refusal (any AppError the single-item command raises, with the same
problem body the single endpoint would answer) rolls back that item only; the rest go on.
Ids are taken once each, in the order sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.problems import AppError, problem_body

MAX_BULK_ITEMS = 200
BulkIds = list[uuid.UUID]


class BulkItemResult(BaseModel):
    id: uuid.UUID
    outcome: Literal["done", "refused"]
    problem: dict[str, Any] | None = Field(
        default=None, description="The problem+json the single-item endpoint would answer"
    )


class BulkCounts(BaseModel):
    done: int
    refused: int


class BulkResult(BaseModel):
    results: list[BulkItemResult]
    counts: BulkCounts


def unique_ids(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


def run_each(
    session: Session, ids: list[uuid.UUID], command: Callable[[uuid.UUID], object]
) -> BulkResult:
    """Runs `command(id)` for each id; the command commits its own transaction."""
    results: list[BulkItemResult] = []
    for item_id in unique_ids(ids):
        try:
            command(item_id)
        except AppError as exc:
            session.rollback()
            results.append(BulkItemResult(id=item_id, outcome="refused", problem=problem_body(exc)))
            continue
        results.append(BulkItemResult(id=item_id, outcome="done"))
    return bulk_result(results)


def bulk_result(results: list[BulkItemResult]) -> BulkResult:
    done = sum(1 for r in results if r.outcome == "done")
    return BulkResult(results=results, counts=BulkCounts(done=done, refused=len(results) - done))
