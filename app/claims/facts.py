"""Loading what the policy judges: claim items with their documents, profiles and grades.

Batched over many claims, so a list page costs a fixed number of queries, not one per claim.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from app.auth.models import EmployeeProfile, UserEntity
from app.claims.models import Claim, ClaimItem
from app.claims.policy import ClaimFacts, Finding, ItemFacts, PolicySettings, evaluate
from app.claims.policy_store import load_policies
from app.invoices.air import flight_numbers
from app.invoices.cabins import CabinLetters, load_cabin_letters
from app.invoices.models import Invoice, PaperVoucher
from app.kit.dates import business_date, business_today

# (entity, passenger name, ID last 4) -> grade of the one matching employee
GradeKey = tuple[uuid.UUID, str, str]


@dataclass(frozen=True)
class LoadedItem:
    item: ClaimItem
    invoice: Invoice | None
    paper: PaperVoucher | None

    @property
    def passenger(self) -> tuple[str | None, str | None]:
        document = self.invoice or self.paper
        assert document is not None
        return document.passenger_name, document.passenger_id_masked


def load_items(
    session: Session, claim_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[LoadedItem]]:
    """The items of each claim with their invoice or paper voucher, oldest item first."""
    if not claim_ids:
        return {}
    rows = session.exec(
        select(ClaimItem)
        .where(col(ClaimItem.claim_id).in_(claim_ids))
        .order_by(col(ClaimItem.created_at), col(ClaimItem.id))
    ).all()
    invoice_ids = [r.invoice_id for r in rows if r.invoice_id]
    paper_ids = [r.paper_voucher_id for r in rows if r.paper_voucher_id]
    invoices = {
        i.id: i for i in session.exec(select(Invoice).where(col(Invoice.id).in_(invoice_ids)))
    }
    papers = {
        p.id: p
        for p in session.exec(select(PaperVoucher).where(col(PaperVoucher.id).in_(paper_ids)))
    }
    loaded: dict[uuid.UUID, list[LoadedItem]] = defaultdict(list)
    for row in rows:
        invoice = invoices.get(row.invoice_id) if row.invoice_id else None
        paper = papers.get(row.paper_voucher_id) if row.paper_voucher_id else None
        loaded[row.claim_id].append(LoadedItem(row, invoice, paper))
    return loaded


def evaluate_claims(
    session: Session,
    claims: Sequence[Claim],
    items: dict[uuid.UUID, list[LoadedItem]],
    *,
    submission_date: dt.date | None = None,
) -> dict[uuid.UUID, list[Finding]]:
    """The findings of each claim, judged as of its submission (drafts: as of today, or
    `submission_date` when the caller is about to submit)."""
    policies = load_policies(session, {c.entity_id for c in claims})
    profiles = _profiles(session, {c.claimant_id for c in claims})
    grades = _traveller_grades(session, claims, items)
    letters = load_cabin_letters(session, _entities_with_flights(claims, items))
    findings: dict[uuid.UUID, list[Finding]] = {}
    for claim in claims:
        cabins = letters.get(claim.entity_id)
        facts = ClaimFacts(
            items=tuple(
                _item_facts(loaded, claim, profiles.get(claim.claimant_id), grades, cabins)
                for loaded in items.get(claim.id, [])
            ),
            submission_date=submission_date or _submission_date(claim),
        )
        findings[claim.id] = evaluate(facts, policies[claim.entity_id])
    return findings


def _entities_with_flights(
    claims: Sequence[Claim], items: dict[uuid.UUID, list[LoadedItem]]
) -> set[uuid.UUID]:
    """Whose cabin tables the policy needs: only claims holding a flight read one."""
    return {
        c.entity_id for c in claims if any(_kind(loaded) == "air" for loaded in items.get(c.id, []))
    }


def _kind(loaded: LoadedItem) -> str:
    document = loaded.invoice or loaded.paper
    assert document is not None
    return document.kind


def findings_of(
    session: Session, claim: Claim, *, submission_date: dt.date | None = None
) -> list[Finding]:
    items = load_items(session, [claim.id])
    return evaluate_claims(session, [claim], items, submission_date=submission_date)[claim.id]


def policy_of(session: Session, claim: Claim) -> PolicySettings:
    return load_policies(session, [claim.entity_id])[claim.entity_id]


def _submission_date(claim: Claim) -> dt.date:
    if claim.state != "draft" and claim.submitted_at is not None:
        return business_date(claim.submitted_at)
    return business_today()


def _profiles(session: Session, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, EmployeeProfile]:
    if not user_ids:
        return {}
    rows = session.exec(select(EmployeeProfile).where(col(EmployeeProfile.user_id).in_(user_ids)))
    return {p.user_id: p for p in rows}


def _last4(id_masked: str | None) -> str | None:
    return id_masked[-4:].upper() if id_masked and len(id_masked) >= 4 else None


def _is_claimant(profile: EmployeeProfile | None, name: str | None, last4: str | None) -> bool:
    if profile is None or not name or not last4:
        return False
    return profile.passenger_name == name and (profile.id_last4 or "").upper() == last4


def _traveller_grades(
    session: Session, claims: Sequence[Claim], items: dict[uuid.UUID, list[LoadedItem]]
) -> dict[GradeKey, int | None]:
    """Grades of travellers by (entity, name, ID last 4); ambiguous matches count as unknown."""
    entity_of = {c.id: c.entity_id for c in claims}
    names = {loaded.passenger[0] for group in items.values() for loaded in group} - {None}
    if not names:
        return {}
    rows = session.exec(
        select(UserEntity.entity_id, EmployeeProfile)
        .join(EmployeeProfile, col(EmployeeProfile.user_id) == col(UserEntity.user_id))
        .where(
            col(UserEntity.entity_id).in_(set(entity_of.values())),
            col(EmployeeProfile.passenger_name).in_(names),
        )
    ).all()
    matches: dict[GradeKey, list[int | None]] = defaultdict(list)
    for entity_id, profile in rows:
        if profile.passenger_name and profile.id_last4:
            key = (entity_id, profile.passenger_name, profile.id_last4.upper())
            matches[key].append(profile.grade)
    return {key: found[0] if len(found) == 1 else None for key, found in matches.items()}


def _item_facts(
    loaded: LoadedItem,
    claim: Claim,
    profile: EmployeeProfile | None,
    grades: dict[GradeKey, int | None],
    cabins: CabinLetters | None,
) -> ItemFacts:
    name, masked = loaded.passenger
    last4 = _last4(masked)
    own = _is_claimant(profile, name, last4)
    if own:
        grade = profile.grade if profile else None
    else:
        grade = grades.get((claim.entity_id, name, last4)) if name and last4 else None
    if loaded.invoice is not None:
        document = _invoice_facts(loaded.item.id, loaded.invoice, cabins)
    else:
        assert loaded.paper is not None
        document = _paper_facts(loaded.item.id, loaded.paper, cabins)
    return replace(
        document,
        passenger_key=f"{name}|{last4}" if name and last4 else None,
        passenger_is_claimant=own,
        traveller_grade=grade,
        justification=loaded.item.justification,
    )


def _cabin_classes(
    letters: list[str | None], cabins: CabinLetters | None
) -> tuple[str | None, ...]:
    if cabins is None:
        return ()
    return tuple(cabins.cabin_class(letter) for letter in letters)


def _invoice_facts(item_id: uuid.UUID, invoice: Invoice, cabins: CabinLetters | None) -> ItemFacts:
    """What the invoice itself tells the rules; `_item_facts` adds the traveller's."""
    air = invoice.kind == "air"
    return ItemFacts(
        item_id=item_id,
        label=f"invoice {invoice.invoice_number}",
        kind="invoice",
        business_type=invoice.business_type,
        status=invoice.status,
        is_red_letter=invoice.is_red_letter,
        warning_codes=frozenset(w["code"] for w in invoice.warnings),
        verification=invoice.verification,
        sale_known=invoice.original_invoice_id is not None,
        seat_class=None if air else invoice.seat_class,
        cabin_classes=_cabin_classes([s.get("cabin") for s in invoice.segments], cabins)
        if air
        else (),
        travel_date=invoice.travel_date,
        issue_date=invoice.issue_date,
        # For the near-duplicate rule a flight is the train of an itinerary.
        train_number=flight_numbers(invoice.segments) if air else invoice.train_number,
        ticket_key=invoice.ticket_key,
    )


def _paper_facts(item_id: uuid.UUID, paper: PaperVoucher, cabins: CabinLetters | None) -> ItemFacts:
    air = paper.kind == "air"
    return ItemFacts(
        item_id=item_id,
        label=f"paper voucher {paper.serial_number}",
        kind="paper",
        business_type="sale",
        status=paper.status,
        warning_codes=frozenset(w["code"] for w in paper.warnings),
        seat_class=None if air else paper.seat_class,
        cabin_classes=_cabin_classes([paper.seat_class], cabins) if air else (),
        travel_date=paper.travel_date,
        train_number=paper.flight_number if air else paper.train_number,
        ticket_key=paper.ticket_key,
        original_received=paper.received_on is not None,
    )
