"""Generated demo invoices and a paper voucher, ingested through the real upload path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from sqlmodel import Session, select

from app.audit.service import audit_key
from app.auth.models import EmployeeProfile, User
from app.auth.service import principal_for
from app.config import Settings
from app.entities.models import LegalEntity
from app.invoices.models import Invoice
from app.invoices.parsing import ParseLimits
from app.invoices.service import IntakeContext, UploadServices, upload_batch
from app.invoices.verification.offline import OfflineProvider
from app.kit.dates import business_today
from app.storage.factory import make_store
from railclaim_devkit.synthetic import (
    domain_sample_air_spec,
    fee_invoice_for,
    random_spec,
    render_12306_bundle,
    render_air_pdf,
    render_ofd,
    render_pdf,
)
from railclaim_devkit.synthetic.air_builder import AIR_CHANNEL, random_air_ticket_number
from railclaim_devkit.synthetic.identifiers import random_invoice_number

DEMO_SEED = 20241101


def seed_demo_invoices(session: Session, settings: Settings, entity: LegalEntity) -> int:
    """Uploads a dozen invoices for the demo employees unless the entity already has some."""
    if session.exec(select(Invoice.id).where(Invoice.entity_id == entity.id)).first():
        return 0
    services = UploadServices(
        store=make_store(settings),
        verifier=OfflineProvider(),
        limits=ParseLimits(max_bytes=settings.max_upload_bytes),
    )
    rng = random.Random(DEMO_SEED)
    created = 0
    for username, count in (("employee", 8), ("manager", 3)):
        user = session.exec(select(User).where(User.username == username)).one()
        files = _files_for(session, rng, entity, user, count)
        ctx = IntakeContext(
            principal=principal_for(session, user), owner_hint=None, audit_key=audit_key(settings)
        )
        results, _counts = upload_batch(session, ctx, services, files)
        created += sum(1 for r in results if r.outcome == "created")
    return created


def _files_for(
    session: Session, rng: random.Random, entity: LegalEntity, user: User, count: int
) -> list[tuple[str, bytes]]:
    passenger_name, id_masked = _passenger_of(session, user)
    recent = business_today() - dt.timedelta(days=60)
    specs = [
        random_spec(
            rng,
            business_type="sale",
            buyer_name=entity.name,
            buyer_tax_id=entity.uscc,
            passenger_name=passenger_name,
            passenger_id_masked=id_masked,
            travel_date=recent + dt.timedelta(days=i * 5),
            # Soon after the trip: a date after today would be the `issued-in-future` finding.
            issue_date=recent + dt.timedelta(days=i * 5 + 1),
        )
        for i in range(count)
    ]
    files = [(f"{s.invoice_number}.pdf", render_pdf(s)) for s in specs[:-2]]
    files.append((f"{specs[-2].invoice_number}.ofd", render_ofd(specs[-2])))
    files.append(("12306-invoices.zip", render_12306_bundle([specs[-1]])))
    refund = fee_invoice_for(specs[0], rng, "refund")
    files.append((f"{refund.invoice_number}.pdf", render_pdf(refund)))
    return files


def _passenger_of(session: Session, user: User) -> tuple[str, str]:
    """The name and masked ID the user's tickets print."""
    profile = session.get(EmployeeProfile, user.id)
    if profile is None or not profile.passenger_name or not profile.id_last4:
        raise RuntimeError(f"demo user {user.username} lacks a passenger profile")
    return profile.passenger_name, f"1101011990****{profile.id_last4}"


def _flight_for(
    session: Session, rng: random.Random, entity: LegalEntity, user: User
) -> tuple[str, bytes]:
    """A recent domestic flight of `user` bought by `entity`, as an e-itinerary PDF."""
    passenger_name, id_masked = _passenger_of(session, user)
    flight = business_today() - dt.timedelta(days=20)
    segment = dataclasses.replace(domain_sample_air_spec().segments[0], travel_date=flight)
    spec = domain_sample_air_spec(
        invoice_number=random_invoice_number(rng, flight, "11", AIR_CHANNEL),
        e_ticket_number=random_air_ticket_number(rng, segment.flight_number),
        segments=(segment,),
        issue_date=flight + dt.timedelta(days=2),
        fill_date=flight - dt.timedelta(days=7),
        buyer_name=entity.name,
        buyer_tax_id=entity.uscc,
        passenger_name=passenger_name,
        passenger_id_masked=id_masked,
    )
    return f"{spec.invoice_number}.pdf", render_air_pdf(spec)


def write_try_files(session: Session, entity: LegalEntity, folder: Path) -> list[Path]:
    """Three fresh train invoices and a flight of the demo employee, not uploaded: files to try
    the upload with."""
    user = session.exec(select(User).where(User.username == "employee")).one()
    rng = random.Random(DEMO_SEED + 1)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    files = _files_for(session, rng, entity, user, 3)[:3]
    for name, data in [*files, _flight_for(session, rng, entity, user)]:
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written
