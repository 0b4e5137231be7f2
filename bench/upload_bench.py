"""Upload throughput and latency of a running server, beside a bare FastAPI multipart echo.

    .venv/bin/python -m bench.upload_bench [--engines sqlite postgresql] [--clients 8 16]
        [--uploads 1000] [--batch 1000] [--workers 1] [--seed 2026]

For each engine: a fresh database (SQLite in a temp dir; PostgreSQL `rc_bench_<random>` created
and dropped through psycopg on RAILCLAIM_BENCH_PG_ADMIN, default
postgresql://postgres@127.0.0.1:5432/test), `railclaim migrate`, an entity, an employee and an
API token through the CLI, then `railclaim serve` as a subprocess. Distinct generated invoice
PDFs (that entity as buyer, that employee as passenger) are uploaded by 8 and 16 concurrent
clients (threads, one keep-alive connection each); the same files go to `bench/echo_app.py`
served the same way. Last, one ZIP of `--batch` invoices to /api/v1/invoice-batches.

Targets (SPEC "Quality bars"): >= 100 uploads/s and p99 < 250 ms at 8 clients; a 1,000-invoice
batch in < 15 s. Results are recorded in docs/BENCHMARKS.md ("Upload").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from bench._servers import (
    BIN,
    ENTITY_NAME,
    ID_MASKED,
    PASSENGER,
    cpu_split,
    database,
    echo_argv,
    free_port,
    railclaim,
    serve_argv,
    server_env,
    serving,
)
from bench._workflow import invoices
from railclaim_devkit.synthetic import render_zip, uscc_with_check_digit

if TYPE_CHECKING:  # the app is imported late, so that --help and the served runs stay light
    from fastapi import FastAPI

    from app.config import Settings

WARMUP = 30
LOGS: Path | None = None  # --logs: keep each server's log there


@dataclass(frozen=True)
class Target:
    base_url: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class RunResult:
    label: str
    clients: int
    count: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    cpu_ms: float = 0.0
    system_ms: float = 0.0  # the kernel's part of cpu_ms

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    def row(self, echo_rate: float | None = None) -> str:
        """The table row; `echo_rate`: the echo's rate at the same client count, for the ratio
        SPEC's bar names (an empty cell without one)."""
        codes = ", ".join(
            f"{code or 'conn. error'}×{n}" for code, n in sorted(self.statuses.items())
        )
        ratio = f"{100 * self.rate / echo_rate:.1f} %" if echo_rate else ""
        return (
            f"| {self.label} | {self.clients} | {self.count} | {self.rate:.0f}/s | {ratio} "
            f"| {self.percentile(50):.0f} | {self.percentile(95):.0f} "
            f"| {self.percentile(99):.0f} | {self.cpu_ms:.1f} ({self.system_ms:.1f}) | {codes} |"
        )


# --- processes -----------------------------------------------------------------------------


@contextlib.contextmanager
def profiling(pid: int, output: Path | None) -> Iterator[None]:
    """py-spy samples the server (and its workers) while the block runs; raw folded stacks.

    Only threads holding the GIL are sampled: where the server's Python CPU goes, without the
    threads waiting on the database, the disk or a machine busy with other work."""
    if output is None:
        yield
        return
    argv = [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--rate", "200",
            "--format", "raw", "--output", str(output), "--nonblocking", "--gil"]  # fmt: skip
    spy = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)


def bootstrap(env: dict[str, str], cwd: Path, uscc: str) -> str:
    """Migrates, adds the entity and the employee, and returns an API token of that employee."""
    railclaim(env, cwd, "migrate")
    railclaim(env, cwd, "entities", "add", "--name", ENTITY_NAME, "--uscc", uscc)
    railclaim(
        env, cwd, "users", "create", "--username", "bench", "--password", "bench-password-1",
        "--role", "employee", "--passenger-name", PASSENGER, "--id-last4", ID_MASKED[-4:],
        "--entity", uscc,
    )  # fmt: skip
    return railclaim(env, cwd, "tokens", "create", "--name", "bench", "--user", "bench")


# --- load ----------------------------------------------------------------------------------


def drive(
    target: Target, files: list[tuple[str, bytes]], clients: int, label: str, pid: int
) -> RunResult:
    """`clients` threads, each with one keep-alive connection, upload every file once."""
    lock = threading.Lock()
    queue = iter(files)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    def client() -> None:
        with httpx.Client(base_url=target.base_url, headers=target.headers, timeout=60) as http:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                started = time.perf_counter()
                try:
                    status = http.post(target.path, files={"file": item}).status_code
                except httpx.TransportError:
                    status = 0  # the connection failed: counted, and the next request reconnects
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    user_before, system_before = cpu_split(pid)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    user, system = cpu_split(pid)
    user_ms = (user - user_before) * 1000 / len(files)
    system_ms = (system - system_before) * 1000 / len(files)
    return RunResult(
        label, clients, len(files), seconds, latencies, statuses, user_ms + system_ms, system_ms
    )


def post_batch(target: Target, files: list[tuple[str, bytes]]) -> tuple[float, dict[str, int]]:
    archive = render_zip(files)
    with httpx.Client(base_url=target.base_url, headers=target.headers, timeout=300) as http:
        started = time.perf_counter()
        response = http.post("/api/v1/invoice-batches", files={"files": ("batch.zip", archive)})
        seconds = time.perf_counter() - started
    response.raise_for_status()
    counts: dict[str, int] = response.json()["counts"]
    return seconds, counts


# --- runs ----------------------------------------------------------------------------------


def bench_engine(engine: str, args: argparse.Namespace, echo_rates: dict[int, float]) -> list[str]:
    rows: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix=f"rc_bench_{engine}_"))
    uscc = uscc_with_check_digit("91310000MA1BENCH0")
    try:
        with database(engine, workdir) as url:
            env = {
                **os.environ,
                "RAILCLAIM_DATABASE_URL": url,
                "RAILCLAIM_STORAGE_DIR": str(workdir / "storage"),
                "RAILCLAIM_ENVIRONMENT": "dev",
            }
            token = bootstrap(env, workdir, uscc)
            port = free_port()
            with serving(serve_argv(args.workers, port), env, workdir, port, LOGS) as (
                base_url,
                pid,
            ):
                target = Target(base_url, "/api/v1/invoices", {"Authorization": f"Bearer {token}"})
                drive(target, invoices(args.seed - 1, WARMUP, uscc), 4, "warm-up", pid)
                for n, clients in enumerate(args.clients):
                    files = invoices(args.seed + 1000 * n, args.uploads, uscc)
                    output = args.profile / f"{engine}-{clients}.txt" if args.profile else None
                    with profiling(pid, output):
                        result = drive(target, files, clients, f"railclaim {engine}", pid)
                    rows.append(result.row(echo_rates.get(clients)))
                    print(rows[-1], flush=True)
                if args.batch:
                    batch_files = invoices(args.seed + 99_999, args.batch, uscc)
                    seconds, counts = post_batch(target, batch_files)
                    rows.append(
                        f"| batch ZIP {engine} | 1 | {args.batch} | {args.batch / seconds:.0f}/s "
                        f"| | {seconds * 1000:.0f} (one request) | | | | {counts} |"
                    )
                    print(rows[-1], flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def bench_echo(args: argparse.Namespace) -> dict[int, float]:
    """The echo's rows, printed; returns its rate per client count."""
    rates: dict[int, float] = {}
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="rc_bench_echo_"))
    with serving(echo_argv(args.workers, port), dict(os.environ), workdir, port, LOGS) as (
        base_url,
        pid,
    ):
        target = Target(base_url, "/echo", {})
        drive(target, invoices(args.seed - 1, WARMUP, "91310000MA1BENCH0X"), 4, "warm-up", pid)
        for n, clients in enumerate(args.clients):
            files = invoices(args.seed + 1000 * n, args.uploads, "91310000MA1BENCH0X")
            result = drive(target, files, clients, "bare FastAPI echo", pid)
            rates[clients] = result.rate
            print(result.row(), flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    return rates


# --- in process: statements and CPU per upload -------------------------------------------


@dataclass(frozen=True)
class LocalApp:
    """The app in this process on a fresh, bootstrapped database (see `local_app`)."""

    app: FastAPI
    settings: Settings
    token: str
    uscc: str


@contextlib.contextmanager
def local_app(engine: str) -> Iterator[LocalApp]:
    """A fresh database of `engine` bootstrapped as for the served runs, and the app built on it
    in this process; the database and its files are removed on the way out."""
    from app.config import Settings
    from app.main import create_app

    workdir = Path(tempfile.mkdtemp(prefix=f"rc_bench_{engine}_"))
    uscc = uscc_with_check_digit("91310000MA1BENCH0")
    try:
        with database(engine, workdir) as url:
            token = bootstrap(server_env(url, workdir), workdir, uscc)
            settings = Settings(
                database_url=url, storage_dir=workdir / "storage", environment="dev",
                log_level="WARNING",
            )  # fmt: skip
            yield LocalApp(create_app(settings), settings, token, uscc)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def in_process(engine: str, args: argparse.Namespace) -> None:
    """The app in this process (Starlette's TestClient, one client): statements and CPU per
    upload, and with --cprofile a cProfile of the uploads. The CPU includes the client's side
    (multipart encoding), so it is measured for the echo app the same way to subtract."""
    import cProfile
    import pstats

    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from bench.echo_app import app as echo

    with local_app(engine) as local:
        app, token, uscc = local.app, local.token, local.uscc
        statements: Counter[str] = Counter()

        seen: Counter[str] = Counter()

        def count(_c: object, _cur: object, sql: str, *_a: object) -> None:
            statements[sql.split(None, 1)[0].upper()] += 1
            seen[" ".join(sql.split())[:110]] += 1

        for each in {app.state.engine, app.state.read_engine}:
            event.listen(each, "before_cursor_execute", count)
        headers = {"Authorization": f"Bearer {token}"}
        files = invoices(args.seed, args.uploads, uscc)
        warm = invoices(args.seed - 1, WARMUP, uscc)
        with TestClient(app, headers=headers) as client, TestClient(echo) as echo_client:
            for item in warm:
                assert client.post("/api/v1/invoices", files={"file": item}).status_code == 201
                echo_client.post("/echo", files={"file": item})
            statements.clear()
            seen.clear()
            profile = cProfile.Profile() if args.cprofile else None
            cpu, echo_cpu = 0.0, 0.0
            for item in files:
                started = time.process_time()
                if profile is not None:
                    profile.enable()
                answered = client.post("/api/v1/invoices", files={"file": item})
                if profile is not None:
                    profile.disable()
                cpu += time.process_time() - started
                assert answered.status_code == 201, answered.text
                started = time.process_time()
                echo_client.post("/echo", files={"file": item})
                echo_cpu += time.process_time() - started
        n = len(files)
        per_kind = ", ".join(f"{k} {v / n:.2f}" for k, v in statements.most_common())
        ms, echo_ms = cpu * 1000 / n, echo_cpu * 1000 / n
        print(
            f"{engine}: {n} uploads, {sum(statements.values()) / n:.2f} statements/upload "
            f"({per_kind}); CPU {ms:.2f} ms/upload, echo {echo_ms:.2f} ms, "
            f"difference {ms - echo_ms:.2f} ms"
        )
        if args.statements:
            for sql, times in seen.most_common():
                print(f"  {times / n:5.2f}  {sql}")
        if profile is not None:
            out = args.cprofile / f"{engine}.prof"
            profile.dump_stats(out)
            pstats.Stats(str(out)).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--clients", nargs="+", type=int, default=[8, 16])
    parser.add_argument("--uploads", type=int, default=1000, help="uploads per client count")
    parser.add_argument("--batch", type=int, default=1000, help="invoices in the ZIP (0: skip)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile", type=Path, help="folder for py-spy folded stacks of each railclaim run"
    )
    parser.add_argument("--no-echo", action="store_true", help="skip the bare echo reference")
    parser.add_argument("--logs", type=Path, help="folder to keep the servers' logs in")
    parser.add_argument(
        "--in-process", action="store_true",
        help="no servers: the app in this process, statements and CPU per upload",
    )  # fmt: skip
    parser.add_argument("--cprofile", type=Path, help="with --in-process: folder for .prof files")
    parser.add_argument(
        "--statements", action="store_true", help="with --in-process: list each statement's count"
    )
    args = parser.parse_args()
    global LOGS
    LOGS = args.logs
    if args.in_process:
        for engine in args.engines:
            in_process(engine, args)
        return
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, workers={args.workers}, uploads={args.uploads}")  # fmt: skip
    print("| server | clients | uploads | rate | of the echo | p50 ms | p95 ms | p99 ms "
          "| server CPU ms/upload (kernel) "
          "| statuses |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    echo_rates = {} if args.no_echo else bench_echo(args)
    for engine in args.engines:
        bench_engine(engine, args, echo_rates)


if __name__ == "__main__":
    main()
