"""The pure audit chain: canonical form, sealing, and which tampering verification names how."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import replace

import pytest

from app.audit.chain import (
    GENESIS,
    GENESIS_MAC,
    ChainEvent,
    ChainHead,
    canonical_json,
    compute_mac,
    event_payload,
    mac_matches,
    seal,
    verify_events,
)

KEY = b"test-audit-key"
T0 = dt.datetime(2026, 11, 27, 6, 30, tzinfo=dt.UTC)


def build_chain(length: int, key: bytes = KEY) -> list[ChainEvent]:
    events: list[ChainEvent] = []
    prev = GENESIS_MAC
    for seq in range(1, length + 1):
        event = seal(
            key,
            ChainEvent(
                seq=seq,
                occurred_at=T0 + dt.timedelta(seconds=seq),
                actor_id=None,
                actor_username="alice" if seq % 2 else None,
                action="auth.login",
                object_type="user",
                object_id=f"u{seq}",
                entity_id=None,
                details={"n": seq, "名": "张三"},
                prev_mac=prev,
            ),
        )
        events.append(event)
        prev = event.mac
    return events


def head_of(events: list[ChainEvent]) -> ChainHead:
    return ChainHead(events[-1].seq, events[-1].mac) if events else GENESIS


def test_canonical_json_is_sorted_compact_and_keeps_unicode():
    assert canonical_json({"b": 1, "a": [1, "é"], "c": {"z": None, "y": True}}) == (
        '{"a":[1,"é"],"b":1,"c":{"y":true,"z":null}}'
    )
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": float("nan")})


def test_known_answer_pins_the_canonical_form_and_the_mac():
    event = ChainEvent(
        seq=1,
        occurred_at=dt.datetime(2026, 11, 27, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        actor_id=None,
        actor_username=None,
        action="entity.created",
        object_type="legal_entity",
        object_id="e1",
        entity_id=None,
        details={"name": "测试"},
        prev_mac=GENESIS_MAC,
    )
    expected = (
        '{"action":"entity.created","actor_id":null,"actor_username":null,'
        '"details":{"name":"测试"},"entity_id":null,"object_id":"e1",'
        '"object_type":"legal_entity","occurred_at":"2026-11-27T06:30:00.000000+00:00",'
        f'"prev_mac":"{GENESIS_MAC}","seq":1}}'
    ).encode()
    assert event_payload(event) == expected
    assert compute_mac(KEY, event) == hmac.new(KEY, expected, hashlib.sha256).hexdigest()


def test_naive_timestamps_are_refused():
    event = build_chain(1)[0]
    with pytest.raises(ValueError, match="offset"):
        event_payload(replace(event, occurred_at=dt.datetime(2026, 1, 1)))  # noqa: DTZ001


def test_the_mac_depends_on_the_key_and_on_every_field():
    event = build_chain(1)[0]
    assert mac_matches(KEY, event)
    assert not mac_matches(b"another key", event)
    for change in (
        {"seq": 2},
        {"occurred_at": event.occurred_at + dt.timedelta(microseconds=1)},
        {"actor_username": "mallory"},
        {"action": "auth.logout"},
        {"object_id": "u2"},
        {"entity_id": "x"},
        {"details": {"n": 2, "名": "张三"}},
        {"prev_mac": "1" * 64},
    ):
        assert not mac_matches(KEY, replace(event, **change)), change


def test_an_intact_chain_verifies_with_its_head():
    events = build_chain(5)
    report = verify_events(events, KEY, recorded_head=head_of(events))
    assert report.ok
    assert report.first_broken is None
    assert report.checked == 5
    assert report.head == head_of(events)


def test_an_empty_chain_verifies_and_its_head_is_genesis():
    report = verify_events([], KEY, recorded_head=GENESIS, expected_head_mac=GENESIS_MAC)
    assert report.ok
    assert report.checked == 0
    assert report.head == GENESIS


def test_an_edited_event_is_named():
    events = build_chain(5)
    events[2] = replace(events[2], details={"n": 999})
    report = verify_events(events, KEY, recorded_head=head_of(events))
    assert not report.ok
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.reason) == (3, "edited")
    assert report.checked == 2
    assert report.head == ChainHead(2, events[1].mac)


def test_an_edited_last_event_is_edited_not_inserted():
    events = build_chain(4)
    head = head_of(events)
    events[-1] = replace(events[-1], action="forged")
    broken = verify_events(events, KEY, recorded_head=head).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (4, "edited")


def test_a_deleted_event_leaves_a_gap():
    events = build_chain(5)
    head = head_of(events)
    del events[1]
    broken = verify_events(events, KEY, recorded_head=head).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (2, "deleted")


def test_a_deleted_first_event_is_found():
    events = build_chain(3)
    broken = verify_events(events[1:], KEY).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (1, "deleted")


def test_an_event_inserted_mid_chain_with_renumbering_is_named():
    events = build_chain(4)
    forged = replace(events[1], action="forged", mac="f" * 64)
    shifted = [replace(e, seq=e.seq + 1) for e in events[1:]]
    broken = verify_events([events[0], forged, *shifted], KEY).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (2, "inserted")


def test_an_event_forged_beyond_the_head_is_inserted():
    events = build_chain(3)
    head = head_of(events)
    forged = replace(events[-1], seq=4, prev_mac=events[-1].mac, mac="a" * 64)
    report = verify_events([*events, forged], KEY, recorded_head=head)
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.reason) == (4, "inserted")
    assert report.checked == 3


def test_a_valid_event_that_links_elsewhere_is_a_deletion():
    # Sealed correctly (as with a leaked key) but chained to something no longer there.
    events = build_chain(3)
    relinked = seal(KEY, replace(events[2], prev_mac="b" * 64))
    broken = verify_events([*events[:2], relinked], KEY).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (3, "deleted")


def test_a_cut_tail_is_caught_by_the_head_row():
    events = build_chain(5)
    report = verify_events(events[:3], KEY, recorded_head=head_of(events))
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.reason) == (4, "head-mismatch")
    assert report.checked == 3


def test_a_cut_tail_with_a_rewound_head_row_is_caught_by_an_earlier_head():
    events = build_chain(5)
    exported = head_of(events)
    kept = events[:3]
    assert verify_events(kept, KEY, recorded_head=head_of(kept)).ok  # the rewind alone hides it
    report = verify_events(kept, KEY, recorded_head=head_of(kept), expected_head_mac=exported.mac)
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.reason) == (4, "head-mismatch")


def test_an_earlier_head_inside_the_chain_is_fine():
    events = build_chain(5)
    report = verify_events(events, KEY, expected_head_mac=events[1].mac)
    assert report.ok


def test_a_head_row_naming_another_mac_is_a_mismatch():
    events = build_chain(3)
    broken = verify_events(events, KEY, recorded_head=ChainHead(3, "c" * 64)).first_broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (3, "head-mismatch")


def test_events_appended_after_the_head_was_read_still_verify():
    events = build_chain(5)
    assert verify_events(events, KEY, recorded_head=ChainHead(3, events[2].mac)).ok


def test_verification_reads_a_generator_once():
    events = build_chain(4)
    consumed: list[int] = []

    def stream():
        for event in events:
            consumed.append(event.seq)
            yield event

    assert verify_events(stream(), KEY).ok
    assert consumed == [1, 2, 3, 4]
