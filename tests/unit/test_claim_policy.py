"""The pure policy: each rule yields its finding (and only when it should), severities, ordering."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

import pytest

from app.claims.policy import (
    DEFAULT_POLICY,
    ClaimFacts,
    ItemFacts,
    PolicySettings,
    blocking,
    booking_blockers,
    evaluate,
    warnings,
)

TODAY = dt.date(2026, 11, 27)


def item(**overrides: object) -> ItemFacts:
    base = ItemFacts(
        item_id=uuid.uuid4(),
        label="invoice 25119000000000000001",
        kind="invoice",
        business_type="sale",
        status="claimed",
        verification="verified",
        seat_class="二等座",
        travel_date=TODAY - dt.timedelta(days=10),
        train_number="G1",
        passenger_key="张三|1234",
        ticket_key="E1|sale",
        traveller_grade=1,
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def findings_of(*items: ItemFacts, policy: PolicySettings = DEFAULT_POLICY) -> dict[str, str]:
    found = evaluate(ClaimFacts(items=items, submission_date=TODAY), policy)
    return {f.code: f.severity for f in found}


def test_a_clean_item_has_no_findings():
    assert findings_of(item()) == {}


def test_an_empty_claim_is_blocked():
    assert findings_of() == {"no-items": "block"}


@pytest.mark.parametrize(
    ("seat", "grade", "expected"),
    [
        ("二等座", None, {}),
        ("硬卧", 0, {}),
        ("无座", 1, {}),
        ("二等卧", 1, {}),
        ("硬座", 1, {}),
        ("一等座", 2, {"seat-class-above-grade": "warn"}),
        ("一等座", 3, {}),
        ("软卧", 2, {"seat-class-above-grade": "warn"}),
        ("动卧", 3, {}),
        ("一等卧", None, {"seat-class-above-grade": "warn"}),
        ("软座", 3, {}),
        ("商务座", 5, {"seat-class-above-grade": "warn"}),
        ("商务座", 6, {}),
        ("特等座", 3, {"seat-class-above-grade": "warn"}),
        ("高级软卧", 9, {}),
        ("优选一等座", 2, {"seat-class-above-grade": "warn"}),
        ("一等包座", 5, {"seat-class-above-grade": "warn"}),
        ("高级动卧", 6, {}),
        ("软卧代二等座", 2, {"seat-class-above-grade": "warn"}),
        ("软卧代二等座", 3, {}),
    ],
)
def test_seat_class_by_grade(seat: str, grade: int | None, expected: dict[str, str]):
    assert findings_of(item(seat_class=seat, traveller_grade=grade)) == expected


def test_seat_class_grades_follow_the_entity_policy():
    policy = PolicySettings(first_class_min_grade=1, business_class_min_grade=2)
    assert findings_of(item(seat_class="一等座", traveller_grade=1), policy=policy) == {}
    assert findings_of(item(seat_class="商务座", traveller_grade=2), policy=policy) == {}
    assert findings_of(item(seat_class="商务座", traveller_grade=1), policy=policy) == {
        "seat-class-above-grade": "warn"
    }


def test_a_fee_invoice_is_not_judged_by_its_seat_class():
    fee = item(business_type="refund", seat_class="商务座", traveller_grade=1)
    assert "seat-class-above-grade" not in findings_of(fee)


@pytest.mark.parametrize(("days", "late"), [(180, False), (181, True), (400, True)])
def test_late_submission(days: int, late: bool):
    found = findings_of(item(travel_date=TODAY - dt.timedelta(days=days)))
    assert (found == {"late-submission": "warn"}) is late
    assert late or found == {}


def test_late_submission_days_are_configurable():
    travel = TODAY - dt.timedelta(days=31)
    assert findings_of(item(travel_date=travel), policy=PolicySettings(late_submission_days=30))
    assert findings_of(item(travel_date=travel)) == {}


def test_passenger_other_than_claimant_needs_a_justification():
    assert findings_of(item(passenger_is_claimant=False)) == {"passenger-not-claimant": "block"}
    assert findings_of(item(passenger_is_claimant=False, justification="同事代订")) == {}


@pytest.mark.parametrize("kind", ["refund", "change"])
def test_fee_whose_sale_is_unknown(kind: str):
    assert findings_of(item(business_type=kind, sale_known=False)) == {"sale-unknown": "warn"}
    assert findings_of(item(business_type=kind, sale_known=True)) == {}


def test_near_duplicate_from_the_invoice_warning():
    assert findings_of(item(warning_codes=frozenset({"near-duplicate"}))) == {
        "near-duplicate": "warn"
    }


def test_near_duplicates_inside_one_claim():
    first = item(ticket_key="E1|sale")
    twin = item(ticket_key="E2|sale")
    found = evaluate(ClaimFacts(items=(first, twin), submission_date=TODAY), DEFAULT_POLICY)
    assert {(f.code, f.item_id) for f in found} == {
        ("near-duplicate", first.item_id),
        ("near-duplicate", twin.item_id),
    }
    other_day = item(ticket_key="E3|sale", travel_date=TODAY - dt.timedelta(days=11))
    assert findings_of(first, other_day) == {}


@pytest.mark.parametrize(
    "facts",
    [{"status": "void"}, {"is_red_letter": True}],
)
def test_void_items_block(facts: dict[str, object]):
    assert findings_of(item(**facts)) == {"item-void": "block"}


def test_reissued_tickets_block():
    assert findings_of(item(warning_codes=frozenset({"ticket-reissued"}))) == {
        "ticket-reissued": "block"
    }


@pytest.mark.parametrize(
    ("verification", "expected"),
    [
        ("verified", {}),
        ("unverified", {"unverified": "warn"}),
        ("failed", {"unverified": "warn"}),
        ("mismatch", {"verification-mismatch": "block"}),
    ],
)
def test_verification(verification: str, expected: dict[str, str]):
    assert findings_of(item(verification=verification)) == expected


def test_unreceived_paper_original_warns_and_blocks_booking_only():
    paper = item(kind="paper", verification=None, original_received=False)
    found = evaluate(ClaimFacts(items=(paper,), submission_date=TODAY), DEFAULT_POLICY)
    assert [(f.code, f.severity, f.blocks_booking) for f in found] == [
        ("paper-original-missing", "warn", True)
    ]
    assert blocking(found) == []
    assert booking_blockers(found) == found
    received = item(kind="paper", verification=None, original_received=True)
    assert findings_of(received) == {}


def test_blocking_findings_come_first_and_carry_their_item():
    late_void = item(status="void", travel_date=TODAY - dt.timedelta(days=365))
    found = evaluate(ClaimFacts(items=(late_void,), submission_date=TODAY), DEFAULT_POLICY)
    assert [f.code for f in found] == ["item-void", "late-submission"]
    assert {f.item_id for f in found} == {late_void.item_id}
    assert [f.code for f in warnings(found)] == ["late-submission"]
    assert late_void.label in found[0].message


def test_default_policy_values():
    assert dataclasses.asdict(DEFAULT_POLICY) == {
        "approval_threshold": Decimal("5000.00"),
        "fallback_approver_id": None,
        "first_class_min_grade": 3,
        "business_class_min_grade": 6,
        "late_submission_days": 180,
        "segregation_of_duties": True,
    }
