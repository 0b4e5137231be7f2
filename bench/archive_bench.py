"""Archive export of many vouchers: wall time and peak RSS of the streamed BagIt zip.

    .venv/bin/python bench/archive_bench.py [--vouchers 10000] [--engine sqlite|postgresql]
        [--pdf-kb 50] [--output /dev/null] [--validate] [--verify [--since-last]]

Generates archived vouchers quickly (rows bulk-inserted through the models' tables, files
written straight into the store's layout without the per-file fsync of `LocalFileStore.put`),
then runs the export (`start_export` + `stream_export`, the code behind the API and the CLI) in a
fresh subprocess, so its peak RSS (VmHWM) is the export's alone. Target (SPEC "Quality bars"):
10,000 vouchers with peak RSS < 300 MB. Results are recorded in docs/BENCHMARKS.md
("Archive export"). `--verify` also times the 四性 check over the same archive.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from app.archive.documents import archive_reference, retention_until
from app.archive.models import ArchiveFile, ArchiveRecord
from app.archive.seal import SealedRows, content_seal
from app.audit.service import record_event
from app.auth.models import User
from app.db import make_engine, utcnow
from app.entities.models import LegalEntity
from app.invoices.models import Invoice, InvoiceFile
from app.ledger.models import BookedDocument, JournalLine, JournalVoucher, Period
from app.migrate import upgrade_to_head
from app.storage import LocalFileStore
from railclaim_devkit.synthetic import random_spec, render_pdf
from railclaim_devkit.synthetic.xbrl import render_xbrl

CHUNK = 500
USCC = "91110000MA0000001X"
KEY = b"bench-audit-key"
# The PostgreSQL server the tests use (same variable and default as tests/databases.py).
PG_ADMIN = os.environ.get("RAILCLAIM_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def put_fast(store: LocalFileStore, data: bytes) -> tuple[str, int]:
    sha = hashlib.sha256(data).hexdigest()
    path = store.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o444)
    return sha, len(data)


def generated_documents(n: int, reference: str, fare: Decimal) -> dict[str, bytes]:
    """Stand-ins of the generated files, of about their real size (1-5 KB each)."""
    lines = [{"line_no": k, "account_code": "6602.03", "debit": str(fare), "memo": f"车票 {n}-{k}"}
             for k in range(3)]  # fmt: skip
    voucher = {"number": f"记-{n}", "total": str(fare), "lines": lines * 4}
    history = {"history": [{"action": a, "at": utcnow().isoformat()} for a in
                           ("created", "submitted", "approved")] * 3}  # fmt: skip
    report = "<html><body>" + f"<p>{reference} 报销单 {fare}</p>" * 80 + "</body></html>"
    return {
        "voucher.json": json.dumps(voucher, ensure_ascii=False).encode(),
        "report.html": report.encode(),
        "approval-history.json": json.dumps(history).encode(),
    }


def metadata_document(reference: str, files: dict[str, tuple[str, int]]) -> bytes:
    listed = [{"path": p, "sha256": sha, "size": size} for p, (sha, size) in files.items()]
    return json.dumps({"reference": reference, "files": listed}, ensure_ascii=False).encode()


def seed(session: Session) -> tuple[uuid.UUID, uuid.UUID, str]:
    entity = LegalEntity(name="基准测试有限公司", uscc=USCC, fonds_code="Z001")
    user = User(username="bench", display_name="Bench", roles=["auditor"])
    session.add(entity)
    session.add(user)
    session.commit()
    return entity.id, user.id, entity.fonds_code


def generate(url: str, storage: Path, count: int, pdf_kb: int) -> None:
    store = LocalFileStore(storage)
    engine = make_engine(url)
    rng = random.Random(12306)
    with Session(engine) as session:
        entity_id, user_id, fonds = seed(session)
        for start in range(0, count, CHUNK):
            rows = [_voucher_rows(store, rng, n, entity_id, user_id, fonds, pdf_kb)
                    for n in range(start, min(start + CHUNK, count))]  # fmt: skip
            for table in TABLES:
                values = [v for r in rows for v in r[table]]
                session.execute(insert(TABLES[table].__table__), values)  # type: ignore[attr-defined]
            for r in rows:
                seal(session, r)
            session.commit()
        # The periods the numbers came from, as posting leaves them (verify checks 1..n).
        numbers = Counter(f"2026-{n % 12 + 1:02d}" for n in range(count))
        session.execute(
            insert(Period.__table__),  # type: ignore[attr-defined]
            [
                {"entity_id": entity_id, "period": period, "status": "open", "last_number": n,
                 "updated_at": utcnow()}
                for period, n in sorted(numbers.items())
            ],
        )  # fmt: skip
        session.commit()
    engine.dispose()


def seal(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    """The audit event the service writes with each record, so verify checks the seals (the
    metadata hash and the rows' content) too."""
    record = rows["archive_record"][0]
    (invoice,), (mark,) = rows["invoice"], rows["booked_document"]
    content = content_seal(
        SealedRows(
            record=ArchiveRecord(**record),
            voucher=JournalVoucher(**rows["journal_voucher"][0]),
            lines=[JournalLine(**line) for line in rows["journal_line"]],
            documents={f"invoice:{invoice['id']}": Invoice(**invoice)},
            booked={f"invoice:{invoice['id']}": BookedDocument(**mark)},
            claim=None,
        )
    )
    record_event(
        session,
        actor=None,
        action="archive.recorded",
        object_type="archive_record",
        object_id=str(record["id"]),
        entity_id=record["entity_id"],
        details={
            "reference": record["reference"],
            "metadata_sha256": record["metadata_sha256"],
            "content": content,
        },
        key=KEY,
    )


TABLES: dict[str, Any] = {  # in foreign-key order
    "journal_voucher": JournalVoucher,
    "invoice": Invoice,
    "invoice_file": InvoiceFile,
    "journal_line": JournalLine,
    "booked_document": BookedDocument,
    "archive_record": ArchiveRecord,
    "archive_file": ArchiveFile,
}


def _voucher_rows(
    store: LocalFileStore, rng: random.Random, n: int, entity_id: uuid.UUID,
    user_id: uuid.UUID, fonds: str, pdf_kb: int,
) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    period, number = f"2026-{n % 12 + 1:02d}", n // 12 + 1
    spec = random_spec(rng, buyer_tax_id=USCC)
    reference = archive_reference(fonds, period, number)
    voucher_id, invoice_id, record_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    pdf = render_pdf(spec)
    pdf += b"%" + os.urandom(max(0, pdf_kb * 1024 - len(pdf)))  # fonts and images of real files
    files = {name: put_fast(store, data) for name, data in
             generated_documents(n, reference, spec.fare).items()}  # fmt: skip
    files |= {
        "invoices/x/original.pdf": put_fast(store, pdf),
        "invoices/x/xbrl.xml": put_fast(store, render_xbrl(spec)),
    }
    files["metadata.json"] = put_fast(store, metadata_document(reference, files))
    # Made a day ago, as an archive is: `verify --since-last` re-checks the last 15 minutes.
    now = utcnow() - dt.timedelta(days=1)
    return {
        "journal_voucher": [
            {
                "id": voucher_id,
                "entity_id": entity_id,
                "period": period,
                "number": number,
                "number_text": f"记-{period}-{number:04d}",
                "date": dt.date(2026, n % 12 + 1, 1),
                "kind": "booking",
                "attachments_count": 1,
                "prepared_by_id": user_id,
                "total": spec.fare,
                "created_at": now,
                "updated_at": now,
            }
        ],
        "journal_line": _lines(voucher_id, invoice_id, spec.fare, spec.tax_amount),
        "booked_document": [
            {
                "id": uuid.uuid4(),
                "invoice_id": invoice_id,
                "voucher_id": voucher_id,
                "booked_at": now,
            }
        ],
        "invoice": [
            {
                "id": invoice_id,
                "invoice_number": spec.invoice_number,
                "business_type": "sale",
                "is_red_letter": False,
                "fare": spec.fare,
                "tax_amount": spec.tax_amount,
                "passenger_id_masked": "1101011990****1234",
                "entity_id": entity_id,
                "source": "xbrl",
                "sha256": files["invoices/x/original.pdf"][0],
                "status": "booked",
                "verification": "unverified",
                "warnings": [],
                "uploaded_by_id": user_id,
                "created_at": now,
                "updated_at": now,
                "travel_date": spec.travel_date,
                "train_number": spec.train_number,
            }
        ],
        # The uploaded file as intake records it (verify finds the invoice's own file there).
        "invoice_file": [
            {
                "id": uuid.uuid4(),
                "invoice_id": invoice_id,
                "kind": "pdf",
                "filename": f"{spec.invoice_number}.pdf",
                "sha256": files["invoices/x/original.pdf"][0],
                "size": files["invoices/x/original.pdf"][1],
                "created_at": now,
            }
        ],
        "archive_record": [
            {
                "id": record_id,
                "reference": reference,
                "voucher_id": voucher_id,
                "entity_id": entity_id,
                "kind": "booking",
                "fiscal_year": 2026,
                "period": period,
                "voucher_number": number,
                "voucher_number_text": f"记-{period}-{number:04d}",
                "total": spec.fare,
                "retention_until": retention_until(2026),
                "file_count": len(files),
                "metadata_sha256": files["metadata.json"][0],
                "archived_at": now,
            }
        ],
        "archive_file": [
            {
                "id": uuid.uuid4(),
                "record_id": record_id,
                "path": path,
                "role": role,
                "sha256": sha,
                "size": size,
                "invoice_id": invoice_id if role.startswith("invoice") else None,
                "paper_voucher_id": None,
            }
            for path, (sha, size) in files.items()
            for role in [ROLES[path.rsplit("/", 1)[-1]]]
        ],
    }


def _lines(
    voucher_id: uuid.UUID, invoice_id: uuid.UUID, fare: Decimal, tax: Decimal | None
) -> list[dict[str, Any]]:
    """A booking's three lines: expense, deductible VAT, payable (SPEC "Bookkeeping rules")."""
    vat = tax or Decimal("0.00")
    zero = Decimal("0.00")
    sides = [("6602.03", "管理费用-差旅费", fare - vat, zero, invoice_id, None),
             ("2221.01.01", "应交税费-应交增值税(进项税额)", vat, zero, invoice_id, "invoice"),
             ("2241", "其他应付款-基准", zero, fare, None, None)]  # fmt: skip
    return [
        {"id": uuid.uuid4(), "voucher_id": voucher_id, "line_no": n, "account_code": code,
         "account_name": name, "debit": debit, "credit": credit, "memo": f"车票 {n}",
         "invoice_id": invoice, "paper_voucher_id": None, "tax_basis": basis,
         "department": None, "cost_centre": None}
        for n, (code, name, debit, credit, invoice, basis) in enumerate(sides, start=1)
    ]  # fmt: skip


ROLES = {
    "voucher.json": "voucher",
    "report.html": "report",
    "approval-history.json": "approval-history",
    "metadata.json": "metadata",
    "original.pdf": "invoice-original",
    "xbrl.xml": "invoice-xbrl",
}


def run_export(url: str, storage: Path, output: str) -> dict[str, Any]:
    """In this (fresh) process: the export exactly as the CLI runs it, streamed to `output`."""
    from sqlmodel import select

    from app.archive.service import start_export, stream_export

    engine, read_engine = make_engine(url), make_engine(url, sqlite_immediate=False)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    written = chunks = 0
    with Session(engine, expire_on_commit=False) as session, Session(read_engine) as reader:
        entity = session.exec(select(LegalEntity)).one()
        actor = session.exec(select(User)).one()
        plan = start_export(session, entity_id=entity.id, period_from="2026-01",
                            period_to="2026-12", actor=actor, key=KEY)  # fmt: skip
        with open(output, "wb") as handle:
            for chunk in stream_export(reader, store=LocalFileStore(storage), plan=plan):
                handle.write(chunk)
                written += len(chunk)
                chunks += 1
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "bytes": written, "chunks": chunks,
            "rss_after_imports_mb": round(rss_before, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "mb_per_s": round(written / seconds / 1e6, 1)}  # fmt: skip


def run_zipfile_anchor(url: str, storage: Path, output: str) -> dict[str, Any]:
    """The anchor of SPEC's export bar: the standard library's `zipfile` writing the same
    stored files (text deflated, PDFs stored), each read from the store, nothing else."""
    import zipfile

    from sqlalchemy import select as columns

    from app.archive.bag import STORED_SUFFIXES

    engine = make_engine(url, sqlite_immediate=False)
    store = LocalFileStore(storage)
    started = time.perf_counter()
    with Session(engine) as session:
        rows = session.execute(
            columns(ArchiveRecord.reference, ArchiveFile.path, ArchiveFile.sha256)
            .join(ArchiveRecord, ArchiveRecord.id == ArchiveFile.record_id)  # type: ignore[arg-type]
            .order_by(ArchiveRecord.period, ArchiveRecord.voucher_number, ArchiveFile.path)
        ).all()
    with zipfile.ZipFile(output, "w", allowZip64=True) as bag:
        for reference, path, sha256 in rows:
            name = f"bag/data/{reference}/{path}"
            stored = name.endswith(STORED_SUFFIXES)
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with store.open(sha256) as source, bag.open(info, "w") as target:
                while chunk := source.read(256 * 1024):
                    target.write(chunk)
    seconds = time.perf_counter() - started
    written = os.path.getsize(output) if output != "/dev/null" else _written(rows, store)
    return {"seconds": round(seconds, 2), "bytes": written,
            "mb_per_s": round(written / seconds / 1e6, 1)}  # fmt: skip


def _written(rows: list[Any], store: LocalFileStore) -> int:
    return sum(store.path_for(sha256).stat().st_size for _r, _p, sha256 in rows)


def run_verify(url: str, storage: Path, since_last: bool = False) -> dict[str, Any]:
    """A full verify (recorded as a checkpoint when it passes, as the CLI does), or with
    `since_last` one from the last such checkpoint."""
    from app.archive.checkpoint import record_full_verify, since_last_full_verify
    from app.archive.service import verify_archive

    read_engine = make_engine(url, sqlite_immediate=False)
    engine = make_engine(url)
    started_at = utcnow()
    started = time.perf_counter()
    with Session(engine) as session, Session(read_engine) as reader:
        since = since_last_full_verify(session, key=KEY) if since_last else None
        report = verify_archive(reader, store=LocalFileStore(storage), key=KEY,
                                expected_head=None, today=dt.date(2026, 12, 31),
                                since=since)  # fmt: skip
        seconds = time.perf_counter() - started
        if since is None:
            record_full_verify(session, report, started_at=started_at, key=KEY)
    return {
        "seconds": round(seconds, 2),
        "checked": report.checked,
        "failures": dict(Counter(f.check for f in report.failures)),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def in_subprocess(mode: str, url: str, storage: Path, output: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", mode, "--database-url", url,
               "--storage", str(storage), "--output", output]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def database(engine: str, workdir: Path) -> tuple[str, str | None]:
    """A fresh database: a file for SQLite, a scratch database on the test PostgreSQL server."""
    if engine == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", None
    name = f"rc_bench_{uuid.uuid4().hex[:8]}"
    _pg_admin(f"CREATE DATABASE {name}")
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}", name


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vouchers", type=int, default=10_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pdf-kb", type=int, default=50, help="size of each invoice PDF")
    parser.add_argument("--output", default="/dev/null", help="where the zip goes")
    parser.add_argument("--validate", action="store_true", help="unzip and validate with bagit")
    parser.add_argument("--verify", action="store_true", help="also time the 四性 check")
    parser.add_argument(
        "--since-last",
        action="store_true",
        help="with --verify: then time `verify --since-last` over the unchanged archive",
    )
    parser.add_argument(
        "--child", choices=["export", "zipfile", "verify", "verify-since"], help=argparse.SUPPRESS
    )
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--storage", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "export":
            result = run_export(args.database_url, args.storage, args.output)
        elif args.child == "zipfile":
            result = run_zipfile_anchor(args.database_url, args.storage, args.output)
        else:
            since = args.child == "verify-since"
            result = run_verify(args.database_url, args.storage, since_last=since)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        bench(args, Path(tmp))


def bench(args: argparse.Namespace, workdir: Path) -> None:
    url, pg_name = database(args.engine, workdir)
    storage = workdir / "storage"
    try:
        upgrade_to_head(url)
        started = time.perf_counter()
        generate(url, storage, args.vouchers, args.pdf_kb)
        print(f"generated {args.vouchers} archived vouchers in "
              f"{time.perf_counter() - started:.1f} s ({args.engine})")  # fmt: skip
        output = str(workdir / "bag.zip") if args.validate else args.output
        exported = in_subprocess("export", url, storage, output)
        print("export:", json.dumps(exported))
        anchor = in_subprocess("zipfile", url, storage, str(workdir / "anchor.zip"))
        (workdir / "anchor.zip").unlink(missing_ok=True)
        print("stdlib zipfile, same files:", json.dumps(anchor))
        print(f"export / zipfile: {exported['mb_per_s'] / anchor['mb_per_s']:.2f}")
        if args.validate:
            validate(Path(output), workdir)
        if args.verify:
            print("verify:", json.dumps(in_subprocess("verify", url, storage, "")))
        if args.verify and args.since_last:
            print(
                "verify --since-last:", json.dumps(in_subprocess("verify-since", url, storage, ""))
            )
    finally:
        if pg_name:
            _pg_admin(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


def validate(zip_path: Path, workdir: Path) -> None:
    import zipfile

    import bagit

    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(workdir / "unzipped")
    started = time.perf_counter()
    bagit.Bag(str(workdir / "unzipped" / "bag")).validate(processes=2)
    print(f"bagit validation passed in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
