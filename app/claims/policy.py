"""Travel policy: the findings of a claim, computed from a snapshot of its items. Pure: no DB.

Severities: `block` findings stop submission (and approval and booking); `warn` findings need the
approver's explicit acknowledgement. `paper-original-missing` is a warning that also stops
booking, since a paper voucher is booked only once its original is in finance's hands.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Severity = Literal["block", "warn"]

# Seat classes by the grade that may book them (README "Claim policy").
BASE_CLASSES = frozenset({"二等座", "硬座", "硬卧", "无座", "二等卧"})
FIRST_CLASSES = frozenset({"一等座", "优选一等座", "软卧", "一等卧", "动卧", "软座", "二等包座"})
TOP_CLASSES = frozenset({"商务座", "特等座", "高级软卧", "高级动卧", "一等包座", "商务包座"})
FEE_TYPES = frozenset({"refund", "change"})


@dataclass(frozen=True)
class PolicySettings:
    """An entity's configurable policy; the defaults apply to entities that configured nothing."""

    approval_threshold: Decimal = Decimal("5000.00")
    fallback_approver_id: uuid.UUID | None = None
    first_class_min_grade: int = 3
    business_class_min_grade: int = 6
    late_submission_days: int = 180
    segregation_of_duties: bool = True


DEFAULT_POLICY = PolicySettings()


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about one claim item (an invoice or a paper voucher)."""

    item_id: uuid.UUID
    label: str
    kind: Literal["invoice", "paper"]
    business_type: str
    status: str
    is_red_letter: bool = False
    warning_codes: frozenset[str] = frozenset()
    verification: str | None = None
    sale_known: bool = True
    seat_class: str | None = None
    # Air: each flight's cabin class by the entity's letter table (None where unknown).
    cabin_classes: tuple[str | None, ...] = ()
    travel_date: dt.date | None = None
    issue_date: dt.date | None = None
    train_number: str | None = None
    passenger_key: str | None = None
    ticket_key: str | None = None
    passenger_is_claimant: bool = True
    traveller_grade: int | None = None
    justification: str | None = None
    original_received: bool = True

    def blocks(self, code: str, message: str) -> Finding:
        """A finding that stops the claim until this item changes."""
        return Finding(code, "block", message, self.item_id)

    def warns(self, code: str, message: str, *, blocks_booking: bool = False) -> Finding:
        return Finding(code, "warn", message, self.item_id, blocks_booking)


@dataclass(frozen=True)
class ClaimFacts:
    items: tuple[ItemFacts, ...]
    # The business date the claim was (or, for a draft, would now be) submitted on.
    submission_date: dt.date


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    item_id: uuid.UUID | None = None
    blocks_booking: bool = False


def evaluate(claim: ClaimFacts, policy: PolicySettings) -> list[Finding]:
    """Every finding of the claim under `policy`, blocking ones first, then in item order."""
    findings: list[Finding] = []
    if not claim.items:
        findings.append(
            Finding("no-items", "block", "A claim needs at least one invoice or paper voucher.")
        )
    twins = _near_duplicates_within(claim.items)
    for item in claim.items:
        for rule in _RULES:
            finding = rule(item, claim, policy)
            if finding is not None:
                findings.append(finding)
        if item.item_id in twins or "near-duplicate" in item.warning_codes:
            findings.append(_near_duplicate(item))
    return sorted(findings, key=lambda f: f.severity != "block")


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "block"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warn"]


def booking_blockers(findings: Iterable[Finding]) -> list[Finding]:
    """What stops `book`: blocking findings and unreceived paper originals."""
    return [f for f in findings if f.severity == "block" or f.blocks_booking]


Rule = Callable[[ItemFacts, ClaimFacts, PolicySettings], Finding | None]


def _void(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if item.status != "void" and not item.is_red_letter:
        return None
    return item.blocks(
        "item-void",
        f"{item.label} is void (reversed by a red-letter invoice): remove it from the claim.",
    )


def _reissued(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if "ticket-reissued" not in item.warning_codes:
        return None
    return item.blocks(
        "ticket-reissued",
        f"{item.label} shares its ticket with another live invoice (a 换开 re-issue): wait for "
        "the red-letter invoice that voids one of them.",
    )


def _business_type_unclear(
    item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings
) -> Finding | None:
    if "business-type-unclear" not in item.warning_codes:
        return None
    return item.blocks(
        "business-type-unclear",
        f"The files of {item.label} disagree on whether it is a sale, a refund or a change fee: "
        "finance must set its business type before it is claimed.",
    )


def _arithmetic(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    # The deductible input VAT is the invoice's own tax amount: one that does not add up with
    # the fare (or has the wrong sign) would be booked as input VAT as it stands.
    if "arithmetic" not in item.warning_codes:
        return None
    return item.blocks(
        "invoice-arithmetic",
        f"The amounts of {item.label} do not add up (fare, amount excluding tax, tax): it is not "
        "reimbursed as issued; ask for a corrected invoice.",
    )


def _face_differs(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    # The data file (XBRL) decides what is booked; the approver should see that the printed
    # face says otherwise before approving it.
    if "face-xbrl-mismatch" not in item.warning_codes:
        return None
    return item.warns(
        "face-xbrl-mismatch",
        f"The printed face of {item.label} differs from its data file (XBRL): compare them "
        "before approving.",
    )


def _passenger(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if item.passenger_is_claimant or item.justification:
        return None
    return item.blocks(
        "passenger-not-claimant",
        f"The passenger of {item.label} is not the claimant: add a justification to the item.",
    )


def _verification(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if item.kind != "invoice" or item.verification == "verified":
        return None
    if item.verification == "mismatch":
        # The tax platform disagrees with the file: a tamper signal, never reimbursed as is.
        return item.blocks(
            "verification-mismatch",
            f"The 查验 answer for {item.label} differs from the invoice's data.",
        )
    return item.warns(
        "unverified",
        f"{item.label} has not been verified (查验) with the tax platform.",
    )


def _seat_class(item: ItemFacts, _claim: ClaimFacts, policy: PolicySettings) -> Finding | None:
    # A fee invoice repeats the ticket's seat class but pays for no seat.
    if item.business_type != "sale" or item.seat_class is None:
        return None
    # A berth sold as a seat prints both (软卧代二等座): the higher class decides.
    classes = set(item.seat_class.split("代"))
    if classes & TOP_CLASSES:
        needed = policy.business_class_min_grade
    elif classes & FIRST_CLASSES:
        needed = policy.first_class_min_grade
    else:
        return None
    return _above_grade(item, needed, "seat-class-above-grade", f"is a {item.seat_class} ticket")


# A cabin above economy and the grade setting that allows it (SPEC "Air travel").
_CABIN_GRADES = {"business": "first_class_min_grade", "first": "business_class_min_grade"}
_CABIN_NAMES = {"business": "business-class (公务舱)", "first": "first-class (头等舱)"}


def _cabin(item: ItemFacts, _claim: ClaimFacts, policy: PolicySettings) -> Finding | None:
    if item.business_type != "sale":
        return None
    above = [c for c in ("first", "business") if c in item.cabin_classes]
    if not above:
        return None
    needed: int = getattr(policy, _CABIN_GRADES[above[0]])
    return _above_grade(item, needed, "cabin-above-grade", f"flies {_CABIN_NAMES[above[0]]}")


def _above_grade(item: ItemFacts, needed: int, code: str, travels: str) -> Finding | None:
    """The warning that the item `travels` (a seat class, a cabin) allowed only from grade
    `needed`, unless the traveller's grade reaches it."""
    if item.traveller_grade is not None and item.traveller_grade >= needed:
        return None
    grade = "unknown" if item.traveller_grade is None else str(item.traveller_grade)
    return item.warns(
        code,
        f"{item.label} {travels}, allowed from grade {needed}; the traveller's grade is {grade}.",
    )


def _issued_in_future(
    item: ItemFacts, claim: ClaimFacts, _policy: PolicySettings
) -> Finding | None:
    # Judged against the submission date: no invoice is issued after the claim that holds it.
    if item.issue_date is None or item.issue_date <= claim.submission_date:
        return None
    return item.blocks(
        "issued-in-future",
        f"{item.label} is dated {item.issue_date.isoformat()}, after "
        f"{claim.submission_date.isoformat()} (today in China): no invoice is issued in the "
        "future.",
    )


def _late(item: ItemFacts, claim: ClaimFacts, policy: PolicySettings) -> Finding | None:
    if item.travel_date is None:
        return None
    days = (claim.submission_date - item.travel_date).days
    if days <= policy.late_submission_days:
        return None
    return item.warns(
        "late-submission",
        f"{item.label} is claimed {days} days after travel (policy: "
        f"{policy.late_submission_days}).",
    )


def _sale_unknown(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if item.business_type not in FEE_TYPES or item.sale_known:
        return None
    return item.warns(
        "sale-unknown",
        f"{item.label} is a refund or change fee whose sale invoice is not stored.",
    )


def _paper_original(item: ItemFacts, _claim: ClaimFacts, _policy: PolicySettings) -> Finding | None:
    if item.kind != "paper" or item.original_received:
        return None
    return item.warns(
        "paper-original-missing",
        f"The original of {item.label} has not reached finance; the claim cannot be booked "
        "before it does.",
        blocks_booking=True,
    )


_RULES: tuple[Rule, ...] = (
    _void,
    _reissued,
    _business_type_unclear,
    _arithmetic,
    _face_differs,
    _passenger,
    _verification,
    _issued_in_future,
    _seat_class,
    _cabin,
    _late,
    _sale_unknown,
    _paper_original,
)


def _near_duplicate(item: ItemFacts) -> Finding:
    return item.warns(
        "near-duplicate",
        f"Another document has the same passenger, train or flight and travel date as "
        f"{item.label}.",
    )


def _near_duplicates_within(items: tuple[ItemFacts, ...]) -> set[uuid.UUID]:
    """Items of this claim sharing passenger, train and date on different tickets."""
    groups: dict[tuple[str, str, dt.date, str], list[ItemFacts]] = defaultdict(list)
    for item in items:
        if item.passenger_key and item.train_number and item.travel_date:
            key = (item.passenger_key, item.train_number, item.travel_date, item.business_type)
            groups[key].append(item)
    flagged: set[uuid.UUID] = set()
    for group in groups.values():
        tickets = {i.ticket_key or str(i.item_id) for i in group}
        if len(tickets) > 1:
            flagged.update(i.item_id for i in group)
    return flagged
