"""Lists at scale: 1,000,000 invoices in PostgreSQL, list p50/p95 before and after the indexes.

    .venv/bin/python -m bench.seed_million [--invoices 1000000] [--requests 100]
        [--before-requests 20] [--explain docs/explain]

A fresh database `rc_bench_<random>` (created and dropped) is migrated to the revision before
the list indexes, seeded with COPY through the models' tables (2 legal entities, 1,000 employees
and 2 finance clerks with their memberships, the invoices and one `invoice_file` row each), and
ANALYZEd. Every scenario below is then requested through a served `railclaim serve` (one worker,
keep-alive, one client) and its EXPLAIN (ANALYZE, BUFFERS) captured from the exact SQL the app
issues (but the `q` pages, which read the search column a later migration adds); then `alembic
upgrade head` adds the indexes and that column (timed), `VACUUM (ANALYZE)` gives the table its
visibility map, and everything is measured again.
Target (SPEC "Quality bars"): p95 < 50 ms for a filtered page. Results: docs/BENCHMARKS.md
("Lists at a million invoices").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlmodel import Session

from app.auth.models import User
from app.auth.service import principal_for
from app.invoices.models import Invoice, InvoiceFile
from app.invoices.queries import InvoiceFilters, list_invoices
from app.kit.pagination import encode_cursor
from bench._servers import (
    REPO,
    database,
    free_port,
    make_office,
    psycopg_url,
    serve_argv,
    server_env,
    serving,
)

LIST_INDEXES_REVISION = "c4f1e2a9b7d3"
EMPLOYEES, SHARE_OF_A = 1000, 0.7
STATIONS = ("北京南", "上海虹桥", "广州南", "深圳北", "杭州东", "南京南", "武汉", "成都东",
            "西安北", "重庆北", "长沙南", "郑州东", "天津西", "济南西", "合肥南")  # fmt: skip
STATUSES = (("booked", 0.70), ("claimed", 0.10), ("available", 0.15), ("void", 0.05))
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def invoice_rows(
    n: int, entities: tuple[uuid.UUID, uuid.UUID], owners: list[tuple[uuid.UUID, int]], seed: int
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(invoice, invoice_file) column dicts; owners are (user id, entity index) pairs."""
    rng = random.Random(seed)
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    for i in range(n):
        owner, entity_index = owners[rng.randrange(len(owners))]
        created = NOW - dt.timedelta(seconds=rng.randrange(365 * 86400))
        travel = (created + dt.timedelta(hours=8)).date() - dt.timedelta(days=rng.randrange(30))
        fare = Decimal(rng.randrange(1000, 200000)) / 100
        sha = hashlib.sha256(f"bench-{seed}-{i}".encode()).hexdigest()
        invoice_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        departure, arrival = rng.sample(STATIONS, 2)
        invoice = {
            "id": invoice_id, "invoice_number": f"2{(i * 7919 + seed) % 10**19:019d}",
            "business_type": "sale", "is_red_letter": False, "issue_date": travel,
            "train_number": f"{rng.choice('GGGDDCK')}{rng.randrange(1, 9999)}",
            "departure_station": departure, "arrival_station": arrival, "travel_date": travel,
            "departure_time": dt.time(rng.randrange(6, 22), rng.randrange(60)),
            "seat_class": "二等座", "carriage": f"{rng.randrange(1, 17):02d}",
            "seat": f"{rng.randrange(1, 20):02d}A", "fare": fare,
            "amount_excluding_tax": (fare / Decimal("1.09")).quantize(Decimal("0.01")),
            "tax_rate": Decimal("0.09"),
            "tax_amount": fare - (fare / Decimal("1.09")).quantize(Decimal("0.01")),
            "e_ticket_number": f"E{i:018d}", "ticket_key": f"E{i:018d}|sale",
            "passenger_name": "员工", "passenger_id_masked": "1101011990****1234",
            "buyer_name": "基准公司", "buyer_tax_id": "91310000MA1BENCH0X",
            "entity_id": entities[entity_index], "original_invoice_number": None,
            "original_invoice_id": None, "voided_by_id": None, "source": "xbrl", "sha256": sha,
            "xbrl_sha256": None, "status": rng.choices(statuses, weights)[0],
            "verification": "unverified", "verification_message": None, "verified_at": None,
            "deduction_confirmed_on": None, "warnings": "[]", "owner_id": owner,
            "uploaded_by_id": owner, "created_at": created, "updated_at": created,
        }  # fmt: skip
        file = {"id": uuid.UUID(int=rng.getrandbits(128), version=4), "invoice_id": invoice_id,
                "kind": "pdf", "filename": f"{invoice['invoice_number']}.pdf", "sha256": sha,
                "size": 60_000, "created_at": created}  # fmt: skip
        yield invoice, file


def seed(url: str, office_entity: uuid.UUID, n: int) -> tuple[float, uuid.UUID]:
    """COPYs the second entity, the employees and the invoices; returns (seconds, an employee)."""
    started = time.perf_counter()
    other = uuid.uuid4()
    employees = [uuid.uuid4() for _ in range(EMPLOYEES)]
    owners = [(u, 0 if k < EMPLOYEES * SHARE_OF_A else 1) for k, u in enumerate(employees)]
    # The database computes `search_text` (and has no such column before its migration).
    table = Invoice.__table__  # type: ignore[attr-defined]
    invoice_cols = [c.name for c in table.columns if c.computed is None]
    file_cols = [c.name for c in InvoiceFile.__table__.columns]  # type: ignore[attr-defined]
    with psycopg.connect(psycopg_url(url)) as conn:
        conn.execute(
            "INSERT INTO legal_entity (id, name, uscc, taxpayer_type, fonds_code, created_at) "
            "SELECT %s, '第二基准公司', '91310000MA1BENCH1X', taxpayer_type, 'B2', created_at "
            "FROM legal_entity WHERE id = %s",
            (other, office_entity),
        )
        with conn.cursor().copy(
            "COPY app_user (id, username, display_name, roles, is_active, is_service, "
            "failed_logins, created_at) FROM STDIN"
        ) as copy:
            for k, user_id in enumerate(employees):
                copy.write_row((user_id, f"seed{k:04d}", f"员工{k}", '["employee"]', True, False,
                                0, NOW))  # fmt: skip
        with conn.cursor().copy("COPY user_entity (user_id, entity_id) FROM STDIN") as copy:
            for user_id, index in owners:
                copy.write_row((user_id, office_entity if index == 0 else other))
        # One COPY at a time per connection: the generator runs twice, the same seed each time.
        with conn.cursor().copy(f"COPY invoice ({', '.join(invoice_cols)}) FROM STDIN") as copy:
            for invoice, _file in invoice_rows(n, (office_entity, other), owners, seed=2026):
                copy.write_row([invoice[c] for c in invoice_cols])
        with conn.cursor().copy(f"COPY invoice_file ({', '.join(file_cols)}) FROM STDIN") as copy:
            for _invoice, file in invoice_rows(n, (office_entity, other), owners, seed=2026):
                copy.write_row([file[c] for c in file_cols])
        conn.commit()
        conn.execute("ANALYZE")
    return time.perf_counter() - started, employees[0]


# --- measuring -----------------------------------------------------------------------------


def scenarios(
    url: str, employee: uuid.UUID, entity: uuid.UUID, n: int
) -> list[tuple[str, str, dict[str, str]]]:
    """(label, whose token, query) of the typical pages; the deep cursor is 30 % of rows in."""
    with psycopg.connect(psycopg_url(url)) as conn:
        deep = conn.execute(
            "SELECT created_at, id FROM invoice ORDER BY created_at DESC, id DESC "
            "OFFSET %s LIMIT 1",
            (n * 3 // 10,),
        ).fetchone()
        number = conn.execute(
            "SELECT invoice_number FROM invoice WHERE owner_id <> %s AND entity_id = %s "
            "LIMIT 1 OFFSET %s",
            (employee, entity, n // 3),
        ).fetchone()
    assert deep is not None
    assert number is not None
    return [
        ("employee: own invoices, newest page", "seeded", {}),
        ("employee: status=available", "seeded", {"status": "available"}),
        ("employee: travel dates, one month", "seeded",
         {"travel_date_from": "2026-06-01", "travel_date_to": "2026-06-30"}),
        ("employee: q=北京", "seeded", {"q": "北京"}),
        ("finance: entity-wide newest page", "finance", {}),
        ("finance: status=available", "finance", {"status": "available"}),
        ("finance: travel dates, one week", "finance",
         {"travel_date_from": "2026-06-01", "travel_date_to": "2026-06-07"}),
        ("finance: q=G12 (common)", "finance", {"q": "G12"}),
        ("finance: q=<one invoice number>", "finance", {"q": number[0]}),
        (f"finance: deep cursor ({n * 3 // 10:,} rows in)", "finance",
         {"cursor": encode_cursor(deep[0], deep[1])}),
    ]  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def measure(
    base_url: str, tokens: dict[str, str], cases: list[tuple[str, str, dict[str, str]]], n: int
) -> list[tuple[str, float, float, int]]:
    """(label, p50 ms, p95 ms, items on the page) per scenario, `n` sequential requests each."""
    rows = []
    with httpx.Client(base_url=base_url, timeout=120) as http:
        for label, who, params in cases:
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            times: list[float] = []
            for k in range(n + 3):  # three warm-up requests
                started = time.perf_counter()
                response = http.get("/api/v1/invoices", params=params, headers=headers)
                if k >= 3:
                    times.append(time.perf_counter() - started)
                response.raise_for_status()
            items = len(response.json()["items"])
            rows.append((label, percentile(times, 50), percentile(times, 95), items))
            print(f"| {label} | {rows[-1][1]:.1f} | {rows[-1][2]:.1f} | {items} |", flush=True)
    return rows


def explain(
    url: str, users: dict[str, uuid.UUID], cases: list[tuple[str, str, dict[str, str]]]
) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the page query the app issues for each scenario."""
    from app.db import make_engine

    engine = make_engine(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        # The page's query: plain, or (travel-date filters) the window's keys and the page load.
        if statement.lstrip().startswith(("SELECT invoice.", "WITH ")):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    out: list[str] = []
    try:
        with Session(engine) as session:
            for label, who, params in cases:
                user = session.get(User, users[who])
                assert user is not None
                principal = principal_for(session, user)
                filters: dict[str, Any] = {k: v for k, v in params.items() if k != "cursor"}
                for key in ("travel_date_from", "travel_date_to"):
                    if key in filters:
                        filters[key] = dt.date.fromisoformat(filters[key])
                captured.clear()
                list_invoices(session, principal, InvoiceFilters(**filters),  # type: ignore[arg-type]
                              cursor=params.get("cursor"), limit=50)  # fmt: skip
                raw = session.connection().connection.dbapi_connection
                assert raw is not None
                plans = []
                for statement, parameters in captured:
                    with raw.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement,
                                       parameters)  # fmt: skip
                        plans.append("\n".join(row[0] for row in cursor.fetchall()))
                plan = "\n\n".join(plans)
                out.append(f"### {label}\n\n```\n{plan}\n```\n")
                session.rollback()
    finally:
        engine.dispose()
    return "\n".join(out)


def mint_tokens(url: str, workdir: Path, users: dict[str, uuid.UUID]) -> dict[str, str]:
    from app.auth.service import mint_api_token
    from app.config import Settings
    from app.db import make_engine

    settings = Settings(database_url=url, storage_dir=workdir / "storage")
    engine = make_engine(url)
    tokens = {}
    try:
        with Session(engine, expire_on_commit=False) as session:
            for who, user_id in users.items():
                user = session.get(User, user_id)
                assert user is not None
                _row, tokens[who] = mint_api_token(
                    session, user=user, name="lists", days=None, actor=None, settings=settings
                )
    finally:
        engine.dispose()
    return tokens


def phase(
    name: str,
    url: str,
    workdir: Path,
    users: dict[str, uuid.UUID],
    cases: list[tuple[str, str, dict[str, str]]],
    n: int,
    explain_dir: Path | None,
) -> None:
    tokens = mint_tokens(url, workdir, users)
    print(f"\n## {name}\n\n| page | p50 ms | p95 ms | items |\n|---|---:|---:|---:|", flush=True)
    port = free_port()
    with serving(serve_argv(1, port), server_env(url, workdir), workdir, port) as (base_url, _):
        measure(base_url, tokens, cases, n)
    if explain_dir is not None:
        explain_dir.mkdir(parents=True, exist_ok=True)
        (explain_dir / f"{name}.md").write_text(explain(url, users, cases))


def upgrade(url: str, revision: str) -> float:
    from alembic import command

    from app.migrate import alembic_config

    started = time.perf_counter()
    command.upgrade(alembic_config(url), revision)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100, help="per scenario, with indexes")
    parser.add_argument("--before-requests", type=int, default=20, help="per scenario, before")
    parser.add_argument("--explain", type=Path, help="folder for the EXPLAIN plans (markdown)")
    args = parser.parse_args()
    from app.migrate import alembic_config
    from railclaim_devkit.synthetic import uscc_with_check_digit

    script = ScriptDirectory.from_config(alembic_config())
    before = script.get_revision(LIST_INDEXES_REVISION).down_revision
    workdir = Path(tempfile.mkdtemp(prefix="rc_million_"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        url = cleanup.enter_context(database("postgresql", workdir))
        upgrade(url, str(before))
        office = make_office(
            url, workdir, uscc_with_check_digit("91310000MA1BENCH0"), migrate=False
        )
        seconds, employee = seed(url, uuid.UUID(office.entity_id), args.invoices)
        print(f"seeded {args.invoices} invoices (+ files, users) with COPY in {seconds:.1f} s")
        with psycopg.connect(psycopg_url(url)) as conn:
            finance = conn.execute(
                "SELECT id FROM app_user WHERE username = 'bench-finance'"
            ).fetchone()
        assert finance is not None
        users = {"seeded": employee, "finance": finance[0]}
        cases = scenarios(url, employee, uuid.UUID(office.entity_id), args.invoices)
        # Today's `q` reads the search column, which comes with a later migration than the
        # schema measured "before": those pages are measured after only.
        unsearched = [case for case in cases if "q" not in case[2]]
        phase("before", url, workdir, users, unsearched, args.before_requests, args.explain)
        seconds = upgrade(url, "head")
        print(f"\nalembic upgrade head (list indexes, search column): {seconds:.1f} s")
        with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
            # VACUUM too: a table freshly filled by COPY has no visibility map yet, so no scan
            # could be index-only; autovacuum gives a live table one.
            started = time.perf_counter()
            conn.execute("VACUUM (ANALYZE) invoice")
            print(f"VACUUM (ANALYZE) invoice: {time.perf_counter() - started:.1f} s")
        phase("after", url, workdir, users, cases, args.requests, args.explain)
    print(json.dumps({"invoices": args.invoices, "repo": str(REPO)}))


if __name__ == "__main__":
    main()
