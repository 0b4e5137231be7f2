"""The app served by uvicorn on a loopback ephemeral port in a thread, over a seeded SQLite file."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlmodel import Session, select

from app.audit.service import audit_key
from app.auth.models import User
from app.auth.service import principal_for
from app.config import Settings
from app.db import make_engine
from app.demo import DEMO_USCC, seed_demo
from app.entities.models import LegalEntity
from app.invoices.parsing import ParseLimits
from app.invoices.service import IntakeContext, UploadServices, upload_batch
from app.invoices.verification.offline import OfflineProvider
from app.kit.dates import business_today
from app.main import create_app
from app.storage.factory import make_store
from railclaim_devkit.synthetic import InvoiceSpec, random_spec, render_pdf
from tests import databases


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings
    files: dict[str, Path]  # e2e upload files by role: good1, good2, duplicate, day-zip
    duplicate_of: str  # id of the stored invoice the duplicate repeats


def _employee_spec(rng: random.Random, entity: LegalEntity) -> InvoiceSpec:
    # The demo employee's profile (张三, ID ending 1234) makes the upload theirs.
    travel = business_today() - dt.timedelta(days=rng.randint(5, 60))
    return random_spec(
        rng,
        business_type="sale",
        buyer_name=entity.name,
        buyer_tax_id=entity.uscc,
        passenger_name="张三",
        passenger_id_masked="1101011990****1234",
        travel_date=travel,
        # Not after today, which would be the `issued-in-future` finding.
        issue_date=travel + dt.timedelta(days=rng.randint(0, 4)),
    )


def _prepare(settings: Settings, folder: Path) -> tuple[dict[str, Path], str]:
    """Migrates and seeds the demo, stores one invoice, and writes the files the test uploads."""
    databases.migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        seed_demo(session, settings)
        entity = session.exec(select(LegalEntity).where(LegalEntity.uscc == DEMO_USCC)).one()
        employee = session.exec(select(User).where(User.username == "employee")).one()
        rng = random.Random(8080)
        specs = [_employee_spec(rng, entity) for _ in range(3)]
        stored_pdf = render_pdf(specs[2])
        services = UploadServices(make_store(settings), OfflineProvider(), ParseLimits())
        ctx = IntakeContext(principal_for(session, employee), None, audit_key(settings))
        [stored], _ = upload_batch(session, ctx, services, [("stored.pdf", stored_pdf)])
        assert stored.invoice is not None
        existing_id = str(stored.invoice.id)
    engine.dispose()
    files = {
        "good1": folder / f"{specs[0].invoice_number}.pdf",
        "good2": folder / f"{specs[1].invoice_number}.pdf",
        "duplicate": folder / "again-from-12306.pdf",
    }
    files["good1"].write_bytes(render_pdf(specs[0]))
    files["good2"].write_bytes(render_pdf(specs[1]))
    files["duplicate"].write_bytes(stored_pdf)
    files["day-zip"] = folder / "12306-invoices.zip"
    _write_zip(files["day-zip"], [_employee_spec(rng, entity) for _ in range(4)])
    return files, existing_id


def _write_zip(path: Path, specs: list[InvoiceSpec]) -> None:
    """A month of trips as the 12306 app exports them: one ZIP of invoice PDFs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in specs:
            archive.writestr(f"{spec.invoice_number}.pdf", render_pdf(spec))


@contextmanager
def serve(folder: Path) -> Iterator[LiveServer]:
    settings = Settings(
        database_url=f"sqlite:///{folder / 'e2e.db'}",
        storage_dir=folder / "storage",
        environment="test",
        log_json=False,
        log_level="WARNING",
    )
    files, existing_id = _prepare(settings, folder)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings, files, existing_id)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
