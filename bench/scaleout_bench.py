"""Scale-out: several `railclaim serve` processes on one PostgreSQL; uploads and a booking burst.

    .venv/bin/python -m bench.scaleout_bench [--processes 2] [--workers 1] [--uploads 1000]
        [--clients 8] [--claims 100] [--seed 3030] [--clerks 8] [--storage folder|s3] [--echo]

A fresh PostgreSQL database, the office of bench/_servers.py, and `--processes` servers on
their own ports (each with `--workers` uvicorn workers). Uploads: every distinct file is sent
twice, the two copies by clients of different processes, shuffled, so deduplication is decided
across processes. Booking burst: `--claims` approved claims (prepared through the API) booked at
once, one thread per claim behind a barrier, alternating the two finance clerks and the
processes. Then, asserted (exit 1 on failure): exactly one invoice and one 201 per distinct file,
the second copy a 409 duplicate-invoice; with `--storage s3` the processes share only PostgreSQL
and a SeaweedFS bucket (each has a local folder of its own, which stays unused); no invoice
number twice; voucher numbers 1..N per entity and period without gaps, one booking voucher and
posting per booked claim; `railclaim archive verify` (which verifies the audit chain) passes.
With `--echo`, first the same uploads go to as many bare FastAPI echo processes
(bench/echo_app.py, same workers), and the upload row names railclaim's share of that rate:
SPEC's upload bar measured the way two nodes on one bucket serve it.
Results: docs/BENCHMARKS.md ("Scale-out").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg

from bench._servers import (
    Office,
    database,
    echo_argv,
    free_port,
    make_office,
    psycopg_url,
    railclaim,
    serve_argv,
    server_env,
    start_server,
    stop_server,
)
from bench._workflow import approve_claim, book, invoices, upload
from railclaim_devkit.synthetic import uscc_with_check_digit


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def fan_out(
    urls: list[str], clients: int, jobs: list[object], act: Callable[[httpx.Client, object], int]
) -> tuple[float, list[float], Counter[int]]:
    """`clients` threads, client i on process i mod len(urls), each taking the next job."""
    lock = threading.Lock()
    queue = iter(jobs)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    def client(index: int) -> None:
        with httpx.Client(base_url=urls[index % len(urls)], timeout=300) as http:
            while True:
                with lock:
                    job = next(queue, None)
                if job is None:
                    return
                started = time.perf_counter()
                try:
                    status = act(http, job)
                except httpx.TransportError:
                    status = 0
                with lock:
                    latencies.append(time.perf_counter() - started)
                    statuses[status] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses


def report(
    label: str, count: int, seconds: float, latencies: list[float], statuses: Counter[int]
) -> None:
    codes = ", ".join(f"{code or 'conn. error'}×{n}" for code, n in sorted(statuses.items()))
    print(f"| {label} | {count} | {count / seconds:.1f}/s | {percentile(latencies, 50):.0f} "
          f"| {percentile(latencies, 95):.0f} | {percentile(latencies, 99):.0f} | {codes} |",
          flush=True)  # fmt: skip


def upload_jobs(office: Office, args: argparse.Namespace) -> list[object]:
    """Every distinct file twice, shuffled: the second copy is decided across processes."""
    files = invoices(args.seed, args.uploads, office.uscc)
    jobs: list[object] = [*files, *files]
    random.Random(args.seed).shuffle(jobs)
    return jobs


def run_echo(jobs: list[object], workdir: Path, args: argparse.Namespace) -> float:
    """The same uploads to `--processes` bare echo servers; returns their rate per second."""
    servers = []
    try:
        for _ in range(args.processes):
            port = free_port()
            servers.append(
                start_server(echo_argv(args.workers, port), dict(os.environ), workdir, port)
            )

        def act(http: httpx.Client, job: object) -> int:
            return http.post("/echo", files={"file": job}).status_code  # type: ignore[dict-item]

        seconds, latencies, statuses = fan_out([u for _, u in servers], args.clients, jobs, act)
    finally:
        for process, _ in servers:
            stop_server(process)
    report(f"bare FastAPI echo, {len(servers)} processes", len(jobs), seconds, latencies, statuses)
    assert statuses == {201: len(jobs)}, statuses
    return len(jobs) / seconds


def run_uploads(
    urls: list[str], office: Office, jobs: list[object], args: argparse.Namespace
) -> tuple[list[str], float]:
    """Returns the ids of the new invoices that can be claimed, and the upload rate."""
    ids: list[str] = []

    def act(http: httpx.Client, job: object) -> int:
        response = upload(http, office, job)  # type: ignore[arg-type]
        if response.status_code == 201:
            if not response.json()["is_red_letter"]:  # a red-letter invoice is never claimed
                ids.append(response.json()["id"])
        elif response.status_code != 409 or "duplicate-invoice" not in response.text:
            print(f"unexpected upload answer {response.status_code}: {response.text[:300]}")
        return response.status_code

    seconds, latencies, statuses = fan_out(urls, args.clients, jobs, act)
    report(f"upload, each file twice, {len(urls)} processes", len(jobs), seconds, latencies,
           statuses)  # fmt: skip
    assert statuses == {201: args.uploads, 409: args.uploads}, statuses
    return ids, len(jobs) / seconds


def run_bookings(
    urls: list[str], office: Office, invoice_ids: list[str], args: argparse.Namespace
) -> None:
    claim_ids: list[str] = []

    def prepare(http: httpx.Client, invoice_id: object) -> int:
        claim_ids.append(approve_claim(http, office, str(invoice_id)))
        return 200

    chosen: list[object] = list(invoice_ids[: args.claims])
    seconds, latencies, statuses = fan_out(urls, args.clients, chosen, prepare)
    report("claim: create + submit + approve", len(chosen), seconds, latencies, statuses)
    if args.clerks:
        book_by_clerks(urls, office, claim_ids, args.clerks)
        return
    barrier = threading.Barrier(len(claim_ids))
    latencies, statuses = [], Counter()
    lock = threading.Lock()

    def send(index: int, claim_id: str) -> None:
        with httpx.Client(base_url=urls[index % len(urls)], timeout=600) as http:
            barrier.wait(timeout=120)
            started = time.perf_counter()
            who = "finance" if (index // len(urls)) % 2 == 0 else "finance2"
            status = book(http, office, claim_id, who).status_code
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(claim_ids)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report("book, all at once", len(claim_ids), time.perf_counter() - started, latencies, statuses)
    assert statuses == {200: len(claim_ids)}, statuses


def book_by_clerks(urls: list[str], office: Office, claim_ids: list[str], clerks: int) -> None:
    """SPEC's booking bar: `clerks` concurrent clerks (the two finance users in turn), each
    booking the next approved claim as soon as the last one is done."""
    turn = iter(range(len(claim_ids)))

    def act(http: httpx.Client, claim_id: object) -> int:
        who = "finance" if next(turn) % 2 == 0 else "finance2"
        return book(http, office, str(claim_id), who).status_code

    seconds, latencies, statuses = fan_out(urls, clerks, list(claim_ids), act)
    report(f"book, {clerks} clerks at once", len(claim_ids), seconds, latencies, statuses)
    assert statuses == {200: len(claim_ids)}, statuses


def assert_consistent(url: str, args: argparse.Namespace) -> None:
    with psycopg.connect(psycopg_url(url)) as conn:
        invoices_, numbers = conn.execute(
            "SELECT count(*), count(DISTINCT invoice_number) FROM invoice"
        ).fetchone() or (0, 0)
        assert invoices_ == numbers == args.uploads, (invoices_, numbers)
        files = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM invoice_file").fetchone()
        assert files == (args.uploads, args.uploads), files
        for entity, period, count, low, high in conn.execute(
            "SELECT entity_id, period, count(*), min(number), max(number) FROM journal_voucher "
            "GROUP BY entity_id, period"
        ).fetchall():
            assert (low, high) == (1, count), (entity, period, count, low, high)
            print(f"vouchers of {period}: {count}, numbered 1..{high} without gaps")
        half = conn.execute(
            "SELECT count(*) FROM claim c WHERE c.state = 'booked' AND (SELECT count(*) FROM "
            "journal_voucher v WHERE v.claim_id = c.id AND v.kind = 'booking') <> 1"
        ).fetchone()
        assert half == (0,), half
        booked = conn.execute("SELECT count(*) FROM claim WHERE state = 'booked'").fetchone()
        assert booked == (args.claims,), booked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per process")
    parser.add_argument("--uploads", type=int, default=1000, help="distinct files")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3030)
    parser.add_argument(
        "--clerks",
        type=int,
        default=0,
        help="book with this many concurrent clerks instead of every claim at once",
    )
    parser.add_argument(
        "--storage",
        choices=["folder", "s3"],
        default="folder",
        help="one shared folder, or a SeaweedFS bucket with a separate folder per process",
    )
    parser.add_argument(
        "--echo", action="store_true", help="first the same uploads to bare FastAPI echoes"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rc_scaleout_"))
    uscc = uscc_with_check_digit("91310000MA1B0RD00")
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        url = cleanup.enter_context(database("postgresql", workdir))
        office = make_office(url, workdir, uscc)
        env = server_env(url, workdir)
        if args.storage == "s3":
            # Nothing shared but PostgreSQL and the bucket: each process its own local folder.
            from tests.seaweed import BUCKET, start_seaweed, stop_seaweed

            seaweed = start_seaweed(workdir / "seaweed")
            cleanup.callback(stop_seaweed, seaweed)
            env = {**env, **seaweed.env(f"s3://{BUCKET}/scaleout")}
            print(f"SeaweedFS at {seaweed.endpoint_url}, ready in {seaweed.started_in:.1f} s")
        servers = []
        try:
            for n in range(args.processes):
                port = free_port()
                # On S3 each process has a folder of its own; a folder store is shared.
                own = (
                    {**env, "RAILCLAIM_STORAGE_DIR": str(workdir / f"storage-{n}")}
                    if args.storage == "s3"
                    else env
                )
                servers.append(start_server(serve_argv(args.workers, port), own, workdir, port))
            urls = [base_url for _, base_url in servers]
            jobs = upload_jobs(office, args)
            print("| phase | requests | rate | p50 ms | p95 ms | p99 ms | statuses |")
            print("|---|---:|---:|---:|---:|---:|---|")
            echo_rate = run_echo(jobs, workdir, args) if args.echo else None
            invoice_ids, upload_rate = run_uploads(urls, office, jobs, args)
            if echo_rate:
                print(f"uploads: {100 * upload_rate / echo_rate:.1f} % of the echo's rate")
            run_bookings(urls, office, invoice_ids, args)
        finally:
            for process, _ in servers:
                stop_server(process)
        assert_consistent(url, args)
        verified = railclaim(env, workdir, "archive", "verify", check=False)
        assert '"ok": true' in verified, verified[-3000:]
        print("railclaim archive verify: ok (files, XBRL, records, audit chain)")
    print("OK: one invoice per distinct file, numbering without gaps, archive verifies")


if __name__ == "__main__":
    main()
