"""kill -9 of a real server mid-storm: after restart nothing is half-written (SPEC "Quality bars").

Upload storm: every 201 survives, no invoice row lacks its file, and the only unreferenced files
are those of uploads in flight at the kill (gc lists them; that is its job). Booking burst: every
booked claim has exactly one booking voucher and posting, every booking voucher's claim is
booked, numbers run 1..n without gaps, and the claims left unbooked can still be booked. Both end
with `railclaim archive verify` passing. The default suite runs PostgreSQL at small counts, with
the files in a local folder and (the upload storm) in an S3 bucket of a real SeaweedFS;
bench/crash_bench.py repeats both engines and both stores at larger counts.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.storage import FileStore, LocalFileStore
from bench._servers import (
    BIN,
    Office,
    free_port,
    kill_hard,
    make_office,
    serve_argv,
    server_env,
    start_server,
    stop_server,
)
from bench._workflow import approve_claim, book, invoices, upload
from railclaim_devkit.synthetic import uscc_with_check_digit
from tests.databases import PG_ADMIN_URL, create_pg_database, drop_pg_database, unique_name

# bench/crash_bench.py raises SCALE for the full-size run; the default suite runs SCALE 1.
SCALE = int(os.environ.get("RAILCLAIM_CRASH_SCALE", "1"))
STORM_THREADS, KILL_AFTER_UPLOADS, STORM_FILES = 6, 12 * SCALE, 120 * SCALE
CLAIMS, KILL_AFTER_BOOKINGS = 8 * SCALE, 3 * SCALE
WAIT_SECONDS = 120  # an upper bound for a loaded CI machine; the waits end on an event


@dataclass
class World:
    url: str
    workdir: Path
    office: Office
    store: FileStore
    env: dict[str, str] = field(default_factory=dict)


def _postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


# PostgreSQL is the scale-out engine: in the default suite. SQLite repeats it in the slow suite.
# The "-s3" worlds keep the files in a bucket of the session's SeaweedFS instead of a folder.
_SLOW = pytest.mark.slow
WORLDS = ["postgresql", "postgresql-s3", pytest.param("sqlite", marks=_SLOW),
          pytest.param("sqlite-s3", marks=_SLOW)]  # fmt: skip
# The booking burst writes archive files too, but its subject is the numbering: S3 only when slow.
BURST_WORLDS = ["postgresql", *(pytest.param(w, marks=_SLOW) for w in ("postgresql-s3", "sqlite",
                                                                        "sqlite-s3"))]  # fmt: skip


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    engine, _, backend = str(request.param).partition("-")
    name = unique_name("rc_crash")
    if engine == "postgresql":
        if not _postgres_reachable():
            pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
        url = create_pg_database(name)
    else:
        url = f"sqlite:///{tmp_path / 'crash.db'}"
    try:
        office = make_office(url, tmp_path, uscc_with_check_digit("91310000MA1CRA0H0"))
        env = server_env(url, tmp_path)
        store: FileStore = LocalFileStore(tmp_path / "storage")
        if backend == "s3":
            seaweed = request.getfixturevalue("seaweed")
            store = seaweed.store()
            env |= seaweed.env(f"s3://{store.bucket}/{store.location.prefix}")
        yield World(url, tmp_path, office, store, env)
    finally:
        if engine == "postgresql":
            drop_pg_database(name)


def _start(world: World) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    return start_server(serve_argv(1, port), world.env, world.workdir, port, WAIT_SECONDS)


def _cli(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "railclaim"), *args],
        env=world.env,
        cwd=world.workdir,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )


def _rows(world: World, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(world.url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _assert_archive_verifies(world: World) -> None:
    verified = _cli(world, "archive", "verify")
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]


def _storm(base_url: str, world: World, files: list[tuple[str, bytes]], kill: threading.Event,
           after: int) -> tuple[list[str], Counter[int]]:  # fmt: skip
    """Threads upload `files` until the server dies; `kill` is set after `after` 201s."""
    lock = threading.Lock()
    queue = iter(files)
    created: list[str] = []
    statuses: Counter[int] = Counter()

    def client() -> None:
        with httpx.Client(base_url=base_url, timeout=WAIT_SECONDS) as http:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                try:
                    response = upload(http, world.office, item)
                except httpx.TransportError:
                    return  # the server is gone
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code == 201:
                        created.append(response.json()["invoice_number"])
                    if len(created) >= after:
                        kill.set()

    threads = [threading.Thread(target=client) for _ in range(STORM_THREADS)]
    for thread in threads:
        thread.start()
    assert kill.wait(WAIT_SECONDS), f"the storm never reached {after} uploads: {statuses}"
    return created, statuses


@pytest.mark.parametrize("world", WORLDS, indirect=True)
def test_kill_during_upload_storm_leaves_no_row_without_its_file(world: World):
    files = invoices(77, STORM_FILES, world.office.uscc)
    server, base_url = _start(world)
    kill = threading.Event()
    try:
        created, statuses = _storm(base_url, world, files, kill, KILL_AFTER_UPLOADS)
        kill_hard(server)
    finally:
        stop_server(server)
    assert set(statuses) <= {201}, statuses

    server, base_url = _start(world)  # restarts on the same database and files
    try:
        assert httpx.get(f"{base_url}/healthz", timeout=10).status_code == 200
    finally:
        stop_server(server)
    numbers = {row[0] for row in _rows(world, "SELECT invoice_number FROM invoice")}
    assert set(created) <= numbers, "an upload answered 201 was lost"
    referenced = _rows(
        world,
        "SELECT sha256 FROM invoice_file UNION "
        "SELECT xbrl_sha256 FROM invoice WHERE xbrl_sha256 IS NOT NULL",
    )
    missing = [sha for (sha,) in referenced if not world.store.exists(str(sha))]
    assert missing == [], f"rows whose file is missing: {missing}"
    gc = _cli(world, "storage", "gc", "--dry-run", "--grace-minutes", "0")
    assert gc.returncode == 0, gc.stderr
    would_remove = [line for line in gc.stdout.splitlines() if line.startswith("would remove")]
    # In flight at the kill: at most one upload per thread, each a PDF and its XBRL.
    assert len(would_remove) <= 2 * STORM_THREADS, gc.stdout
    _assert_archive_verifies(world)


def _approved_claims(base_url: str, world: World, n: int) -> list[str]:
    claim_ids: list[str] = []
    with httpx.Client(base_url=base_url, timeout=WAIT_SECONDS) as http:
        for item in invoices(78, 2 * n, world.office.uscc):
            response = upload(http, world.office, item)
            assert response.status_code == 201, response.text
            if not response.json()["is_red_letter"]:  # a red-letter invoice is never claimed
                claim_ids.append(approve_claim(http, world.office, response.json()["id"]))
            if len(claim_ids) == n:
                return claim_ids
    raise AssertionError(f"fewer than {n} claimable invoices generated")


def _burst(
    base_url: str, world: World, claim_ids: list[str], kill: threading.Event
) -> Counter[int]:
    """One thread per claim, two finance clerks alternating; `kill` is set after a few 200s."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(claim_ids))

    def send(index: int, claim_id: str) -> None:
        with httpx.Client(base_url=base_url, timeout=WAIT_SECONDS) as http:
            barrier.wait(timeout=WAIT_SECONDS)
            who = "finance" if index % 2 else "finance2"
            try:
                status = book(http, world.office, claim_id, who).status_code
            except httpx.TransportError:
                return
            with lock:
                statuses[status] += 1
                if statuses[200] >= KILL_AFTER_BOOKINGS:
                    kill.set()

    for index, claim_id in enumerate(claim_ids):
        threading.Thread(target=send, args=(index, claim_id), daemon=True).start()
    assert kill.wait(WAIT_SECONDS), f"the burst never reached {KILL_AFTER_BOOKINGS}: {statuses}"
    return statuses


def _assert_no_half_booked_claim(world: World) -> int:
    """Every booked claim has one booking voucher and posting, and vice versa; numbers 1..n."""
    booked = {row[0] for row in _rows(world, "SELECT id FROM claim WHERE state = 'booked'")}
    vouchers = _rows(world, "SELECT claim_id, number FROM journal_voucher WHERE kind = 'booking'")
    postings = _rows(world, "SELECT claim_id, voucher_id FROM claim_posting WHERE kind = 'booking'")
    assert Counter(row[0] for row in vouchers) == Counter(booked), (booked, vouchers)
    assert Counter(row[0] for row in postings) == Counter(booked), (booked, postings)
    numbers = sorted(int(str(row[0])) for row in _rows(world, "SELECT number FROM journal_voucher"))
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    last = _rows(world, "SELECT coalesce(max(last_number), 0) FROM accounting_period")
    assert int(str(last[0][0])) == len(numbers)
    return len(booked)


@pytest.mark.parametrize("world", BURST_WORLDS, indirect=True)
def test_kill_during_booking_burst_leaves_no_half_booked_claim(world: World):
    server, base_url = _start(world)
    kill = threading.Event()
    try:
        claim_ids = _approved_claims(base_url, world, CLAIMS)
        statuses = _burst(base_url, world, claim_ids, kill)
        kill_hard(server)
    finally:
        stop_server(server)
    assert set(statuses) <= {200}, statuses
    booked_before = _assert_no_half_booked_claim(world)
    assert booked_before >= statuses[200]

    server, base_url = _start(world)  # the rest can still be booked: no lock or number left held
    try:
        with httpx.Client(base_url=base_url, timeout=WAIT_SECONDS) as http:
            states = http.get("/api/v1/claims", headers=world.office.headers("finance")).json()
            for claim in states["items"]:
                if claim["state"] == "approved":
                    assert book(http, world.office, claim["id"]).status_code == 200
    finally:
        stop_server(server)
    assert _assert_no_half_booked_claim(world) == CLAIMS
    _assert_archive_verifies(world)
