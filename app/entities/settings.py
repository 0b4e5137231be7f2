"""Settings an entity keeps in a table of its own (one row per entity, absent until it sets any)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

Row = TypeVar("Row", bound=SQLModel)
Setting = TypeVar("Setting")


def settings_by_entity(
    session: Session,
    table: type[Row],
    entity_ids: Iterable[uuid.UUID],
    read: Callable[[Row], Setting],
    default: Setting,
) -> dict[uuid.UUID, Setting]:
    """Each entity's row of `table` as `read` makes it, `default` for one that has no row; in
    one query (none when no entity is asked for)."""
    wanted = set(entity_ids)
    scoped: Any = table  # every such table has an `entity_id` column
    rows: Sequence[Any] = (
        session.exec(select(table).where(col(scoped.entity_id).in_(wanted))).all() if wanted else []
    )
    found = {row.entity_id: read(row) for row in rows}
    return {entity_id: found.get(entity_id, default) for entity_id in wanted}
