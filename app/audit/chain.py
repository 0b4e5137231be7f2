"""PURE core of the audit chain: canonical JSON, HMAC-SHA256 sealing and verification of a walk.

Imports only the standard library, so the rules that make the log tamper-evident can be read and
tested without a database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

GENESIS_MAC = "0" * 64

BrokenReason = Literal["edited", "inserted", "deleted", "head-mismatch", "unreadable"]


@dataclass(frozen=True)
class ChainEvent:
    """The fields an event's MAC covers, plus the MAC itself (ids as strings, as in the JSON)."""

    seq: int
    occurred_at: dt.datetime
    actor_id: str | None
    actor_username: str | None
    action: str
    object_type: str
    object_id: str | None
    entity_id: str | None
    details: dict[str, Any]
    prev_mac: str
    mac: str = ""


@dataclass(frozen=True)
class UnreadableEvent:
    """A stored row that does not read as an event (a date, a type or JSON no writer produces):
    a broken link, not a reason for the walk to stop with a traceback."""

    seq: int
    problem: str


@dataclass(frozen=True)
class ChainHead:
    seq: int
    mac: str


GENESIS = ChainHead(seq=0, mac=GENESIS_MAC)


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: BrokenReason
    message: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken: BrokenLink | None
    head: ChainHead


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no whitespace, UTF-8 text; NaN refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit timestamps must carry their offset")
    # A fixed precision, so a stored and re-read timestamp spells exactly as when it was sealed.
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: ChainEvent) -> bytes:
    """The canonical bytes the MAC covers: every field except the MAC itself."""
    return canonical_json(
        {
            "seq": event.seq,
            "occurred_at": _timestamp(event.occurred_at),
            "actor_id": event.actor_id,
            "actor_username": event.actor_username,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "entity_id": event.entity_id,
            "details": event.details,
            "prev_mac": event.prev_mac,
        }
    ).encode("utf-8")


def compute_mac(key: bytes, event: ChainEvent) -> str:
    return hmac.new(key, event_payload(event), hashlib.sha256).hexdigest()


def seal(key: bytes, event: ChainEvent) -> ChainEvent:
    return replace(event, mac=compute_mac(key, event))


def mac_matches(key: bytes, event: ChainEvent) -> bool:
    return hmac.compare_digest(compute_mac(key, event), event.mac)


def verify_events(
    events: Iterable[ChainEvent | UnreadableEvent],
    key: bytes,
    *,
    recorded_head: ChainHead | None = None,
    expected_head_mac: str | None = None,
    start: ChainHead = GENESIS,
) -> ChainReport:
    """Walks `events` (ascending seq) and reports the first broken link, if any.

    `recorded_head` is the database's own head row; `expected_head_mac` a head recorded earlier
    (e.g. in an archive export). Either catches a tail cut off the chain. `start` is a link
    verified before: `events` then begin right after it and must link to its MAC.
    """
    walk = _Walk(key, recorded_head, expected_head_mac, start)
    for event, successor in _with_successor(events):
        broken = walk.step(event, successor)
        if broken is not None:
            return walk.report(broken)
    return walk.report(walk.finish())


def _with_successor(
    events: Iterable[ChainEvent | UnreadableEvent],
) -> Iterator[tuple[ChainEvent | UnreadableEvent, ChainEvent | UnreadableEvent | None]]:
    iterator = iter(events)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


class _Walk:
    """State of one verification walk: the last good link and what has been seen."""

    def __init__(
        self,
        key: bytes,
        recorded_head: ChainHead | None,
        expected_head_mac: str | None,
        start: ChainHead,
    ) -> None:
        self.key = key
        self.recorded_head = recorded_head
        self.expected_head_mac = expected_head_mac
        self.head = start
        self.checked = 0
        self.expected_head_seen = expected_head_mac in (None, GENESIS_MAC, start.mac)

    def step(
        self, event: ChainEvent | UnreadableEvent, successor: ChainEvent | UnreadableEvent | None
    ) -> BrokenLink | None:
        missing = self.head.seq + 1
        if event.seq != missing:
            return BrokenLink(missing, "deleted", f"events {missing}..{event.seq - 1} are missing")
        if isinstance(event, UnreadableEvent):
            return BrokenLink(
                event.seq, "unreadable", f"the stored event cannot be read: {event.problem}"
            )
        if not mac_matches(self.key, event):
            if self._looks_inserted(event, successor):
                return BrokenLink(event.seq, "inserted", "the event was not written by the log")
            return BrokenLink(event.seq, "edited", "the event's content does not match its MAC")
        if event.prev_mac != self.head.mac:
            return BrokenLink(
                event.seq, "deleted", "the event does not link to its predecessor's MAC"
            )
        recorded = self.recorded_head
        if recorded is not None and recorded.seq == event.seq and recorded.mac != event.mac:
            return BrokenLink(event.seq, "head-mismatch", "the head row names another MAC")
        self.head = ChainHead(event.seq, event.mac)
        self.checked += 1
        self.expected_head_seen = self.expected_head_seen or event.mac == self.expected_head_mac
        return None

    def _looks_inserted(
        self, event: ChainEvent, successor: ChainEvent | UnreadableEvent | None
    ) -> bool:
        # An edited event keeps its MAC, which its successor still links to; a forged one does
        # not, so the successor links past it. A forged tail lies beyond the recorded head.
        if isinstance(successor, ChainEvent):
            return successor.prev_mac == self.head.mac
        return self.recorded_head is not None and event.seq > self.recorded_head.seq

    def finish(self) -> BrokenLink | None:
        missing = self.head.seq + 1
        if self.recorded_head is not None and self.head.seq < self.recorded_head.seq:
            return BrokenLink(
                missing,
                "head-mismatch",
                f"the chain ends at {self.head.seq} but its head row says "
                f"{self.recorded_head.seq}: events were cut off the end",
            )
        if not self.expected_head_seen:
            return BrokenLink(
                missing,
                "head-mismatch",
                "the head recorded earlier is not in the chain: events were cut off the end",
            )
        return None

    def report(self, broken: BrokenLink | None) -> ChainReport:
        return ChainReport(
            ok=broken is None, checked=self.checked, first_broken=broken, head=self.head
        )
