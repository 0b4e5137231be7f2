"""What every posting endpoint is handed: the session, the store, the finance actor and its key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.auth.actor import Actor
from app.auth.deps import FinanceActor
from app.db import SessionDep
from app.kit.idempotency import Idempotency, Idempotent
from app.storage import FileStore
from app.storage.deps import StoreDep

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class PostingCall:
    session: Session
    store: FileStore
    actor: Actor
    idempotent: Idempotency

    def run(self, body: BaseModel, action: Callable[[], M]) -> M | JSONResponse:
        """`action` once per Idempotency-Key, the request body as its fingerprint."""
        payload: Any = body.model_dump(mode="json")
        return self.idempotent.run(user_id=self.actor.id, payload=payload, action=action)


async def _posting_call(
    session: SessionDep, store: StoreDep, actor: FinanceActor, idempotent: Idempotent
) -> PostingCall:
    return PostingCall(session, store, actor, idempotent)


Posting = Annotated[PostingCall, Depends(_posting_call)]
