"""Idempotency-Key handling: a repeat returns the first response; a reused key with another body
is refused. Records live in the database, so any app process can answer the repeat."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import JSON, Column, ForeignKey, UniqueConstraint, delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from app.db import SessionDep, UTCDateTime, insert_ignore, utcnow
from app.problems import PROBLEM_MEDIA_TYPE, AppError, Conflict, ValidationProblem, problem_body


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    key: str = Field(max_length=200)
    fingerprint: str = Field(max_length=64)
    # Which request holds the key while it runs; a second one arriving meanwhile is told so.
    claimed_by: uuid.UUID
    status_code: int | None = None
    body: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class IdempotencyKeyReused(AppError):
    status, slug = 422, "idempotency-key-reused"
    explanation = "Use a new key for a different request."
    title = "This Idempotency-Key was used with another request"


class RequestInProgress(Conflict):
    slug = "request-in-progress"
    title = "A request with this Idempotency-Key is in progress"
    explanation = "Wait for it and repeat the request to get its response."


def fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps(
        [method, path, payload],
        sort_keys=True,
        default=str,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Idempotency:
    """One request's Idempotency-Key with what its route answers: `Idempotent` in a handler."""

    session: Session
    key: str | None
    method: str
    path: str
    # The route's own status and exclude_none, so a repeat answers exactly what FastAPI sent.
    status_code: int
    exclude_none: bool

    def run(self, *, user_id: uuid.UUID, payload: Any, action: Callable[[], M]) -> M | JSONResponse:
        """Runs `action` once per (user, key); its model is the response, checked against the
        route's response model; repeats get the stored status and body."""
        if self.key is None:
            return action()
        if not 1 <= len(self.key) <= 200:  # the header's own check takes the long ones first
            raise ValidationProblem("Idempotency-Key", "an Idempotency-Key has 1 to 200 characters")
        record, mine = self._claim(user_id, fingerprint(self.method, self.path, payload))
        if record.status_code is not None:
            return _replay(record.status_code, record.body)
        if record.claimed_by != mine:
            raise RequestInProgress("A request with this Idempotency-Key is still being processed.")
        return self._run_and_store(record.id, action)

    def _claim(
        self, user_id: uuid.UUID, request_fingerprint: str
    ) -> tuple[IdempotencyRecord, uuid.UUID]:
        """The key's record, inserted as this request's claim unless one holds it already."""
        mine = uuid.uuid4()
        insert_ignore(
            self.session,
            IdempotencyRecord,
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "key": self.key,
                "fingerprint": request_fingerprint,
                "claimed_by": mine,
                "created_at": utcnow(),
            },
        )
        self.session.commit()
        record = self.session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == self.key
            )
        ).one()
        self.session.commit()
        if record.fingerprint != request_fingerprint:
            raise IdempotencyKeyReused("The key was first used with a different request body.")
        return record, mine

    def _run_and_store(self, record_id: uuid.UUID, action: Callable[[], M]) -> M:
        session = self.session
        try:
            model = action()
        except AppError as exc:
            session.rollback()
            _store(session, record_id, exc.status, problem_body(exc))
            raise
        except BaseException:
            # An unexpected failure leaves nothing to replay: free the key for a retry.
            session.rollback()
            session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id))
            session.commit()
            raise
        body = model.model_dump(mode="json", by_alias=True, exclude_none=self.exclude_none)
        _store(session, record_id, self.status_code, body)
        return model


async def _idempotency(
    request: Request, session: SessionDep, key: IdempotencyKey = None
) -> Idempotency:
    route: APIRoute = request.scope["route"]
    return Idempotency(
        session,
        key,
        request.method,
        request.url.path,
        route.status_code or 200,
        route.response_model_exclude_none,
    )


Idempotent = Annotated[Idempotency, Depends(_idempotency)]


def _store(session: Session, record_id: uuid.UUID, status: int, body: Any) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(col(IdempotencyRecord.id) == record_id)
        .values(status_code=status, body=body)
    )
    session.commit()


def _replay(status: int, body: Any) -> JSONResponse:
    media_type = PROBLEM_MEDIA_TYPE if status >= 400 else "application/json"
    return JSONResponse(
        body, status_code=status, media_type=media_type, headers={"Idempotent-Replayed": "true"}
    )
