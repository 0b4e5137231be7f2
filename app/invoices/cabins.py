"""Cabin classes of air booking-class letters: each entity's letter table, defaults when unset."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from app.db import insert_ignore, utcnow
from app.entities.settings import settings_by_entity
from app.invoices.models import CabinTable

CabinClass = Literal["economy", "business", "first"]
CABIN_CLASSES: tuple[CabinClass, ...] = ("economy", "business", "first")


@dataclass(frozen=True)
class CabinLetters:
    """Which printed 舱位 letters book which cabin (DOMAIN §5: they vary by airline).

    The defaults follow the letters China's large carriers sell most (README "Air travel"):
    F A P first; J C D I Z R business; W Y B M H K L N Q T V X E G S U O economy. A letter in no
    class reads as unknown: no class, and no policy finding on it.
    """

    economy: str = "WYBMHKLNQTVXEGSUO"
    business: str = "JCDIZR"
    first: str = "FAP"

    def cabin_class(self, letter: str | None) -> CabinClass | None:
        """The class of a printed cabin: its booking letter by this table (`Y`, `YB`), else
        its name where one is printed instead (`头等舱`, `公务舱`, `经济舱`)."""
        if not letter:
            return None
        code = letter.strip().upper()[:1]
        for name in CABIN_CLASSES:
            if code and code in getattr(self, name):
                return name
        return next((cls for word, cls in _CABIN_WORDS if word in letter), None)


# Cabin names as itineraries and XBRL may print them, the highest first (头等舱 is no 经济舱).
_CABIN_WORDS: tuple[tuple[str, CabinClass], ...] = (
    ("头等", "first"),
    ("公务", "business"),
    ("商务", "business"),
    ("超级经济", "economy"),
    ("经济", "economy"),
)


DEFAULT_CABIN_LETTERS = CabinLetters()


def load_cabin_letters(
    session: Session, entity_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, CabinLetters]:
    """Each entity's table (the defaults for one that set none), in one query."""
    return settings_by_entity(session, CabinTable, entity_ids, _letters, DEFAULT_CABIN_LETTERS)


def _letters(row: CabinTable) -> CabinLetters:
    return CabinLetters(row.economy, row.business, row.first)


def store_cabin_letters(session: Session, entity_id: uuid.UUID, letters: CabinLetters) -> None:
    """Replaces the entity's table (race-safe upsert); the caller commits."""
    insert_ignore(
        session,
        CabinTable,
        {
            "entity_id": entity_id,
            "economy": "",
            "business": "",
            "first": "",
            "updated_at": utcnow(),
        },
    )
    row = session.get(CabinTable, entity_id, with_for_update=True, populate_existing=True)
    assert row is not None
    row.economy, row.business, row.first = letters.economy, letters.business, letters.first
    row.updated_at = utcnow()
    session.add(row)
