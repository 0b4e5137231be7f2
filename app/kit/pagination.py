"""Cursor pagination, newest first, over (created_at, id): the SPEC's list envelope."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import and_, or_
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.problems import ValidationProblem

T = TypeVar("T")
Row = TypeVar("Row")

LimitQuery = Annotated[int, Query(ge=1, le=200, description="Page size (max 200)")]
CursorQuery = Annotated[str | None, Query(max_length=200, description="next_cursor of a page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None

    @classmethod
    def of(cls, found: tuple[list[T], str | None]) -> Page[T]:
        """The page of what a list query found: its items and the cursor of the next page."""
        items, next_cursor = found
        return cls(items=items, next_cursor=next_cursor)


def encode_cursor(created_at: dt.datetime, row_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, row_id = raw.split("|", 1)
        created_at = dt.datetime.fromisoformat(stamp)
        if created_at.tzinfo is None:
            raise ValueError("cursor timestamp lacks its offset")
        # In UTC, as every stored timestamp is: a forged year-1 or year-9999 stamp whose offset
        # leaves the calendar fails here rather than when the database driver converts it.
        return created_at.astimezone(dt.UTC), uuid.UUID(row_id)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationProblem("cursor", "not a cursor this service issued") from exc


def paginate(
    session: Session,
    statement: SelectOfScalar[Row],
    *,
    created_col: Any,
    id_col: Any,
    cursor: str | None,
    limit: int,
) -> tuple[list[Row], str | None]:
    """One page of rows newest first, and the cursor of the next page (None on the last)."""
    if cursor:
        created_at, row_id = decode_cursor(cursor)
        # The redundant `created_col <= created_at` is what an index range scan can start from;
        # the OR alone is only a filter, and a deep page would walk every newer row first.
        statement = statement.where(
            created_col <= created_at,
            or_(created_col < created_at, and_(created_col == created_at, id_col < row_id)),
        )
    statement = statement.order_by(created_col.desc(), id_col.desc()).limit(limit + 1)
    rows = list(session.exec(statement).all())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(getattr(last, "created_at"), getattr(last, "id"))  # noqa: B009


def paginate_table(
    session: Session, statement: SelectOfScalar[Row], table: Any, *, cursor: str | None, limit: int
) -> tuple[list[Row], str | None]:
    """`paginate` over the table's own `created_at` and `id`, as every list of one table's rows."""
    return paginate(
        session,
        statement,
        created_col=table.created_at,
        id_col=table.id,
        cursor=cursor,
        limit=limit,
    )
