"""Soak: mixed traffic at a fixed rate against one served process; zero 5xx, flat RSS and FDs.

    .venv/bin/python -m bench.soak [--minutes 10] [--rate 4] [--engine postgresql]
        [--sample-seconds 5] [--out docs/soak]

One `railclaim serve` (one worker, so its pid is the whole server) on a fresh database. A
scheduler releases one operation every 1/rate seconds, whatever the server's pace, to a pool of
client threads; the operations cycle through uploads, invoice lists (plain, status, q), a claim
created, submitted and approved, a booking (alternating the two finance clerks), voucher lists,
the CSV voucher export and, every 50th operation, the archive export. Every few seconds the
server's RSS (VmRSS) and open file descriptors (/proc/<pid>/fd) are sampled into <out>.csv and
plotted into <out>.png. The run fails (exit 1) on any 5xx or connection error, or when the last
third's mean RSS exceeds the first third's by more than --rss-bound (default 10 %), or the FD
mean by more than --fd-bound descriptors. Results are recorded in docs/RELIABILITY.md ("Soak").

With `--heap N` the server runs under `bench.heap_probe` (tracemalloc on, which slows it): N heap
snapshots are taken at even intervals, the last as the traffic ends, and what the Python heap
gained from the first to the last, by allocation site, goes to <out>-heap.txt.
"""

from __future__ import annotations

import argparse
import csv
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench._servers import (
    REPO,
    Office,
    database,
    free_port,
    make_office,
    serve_argv,
    server_env,
    serving,
)
from bench._workflow import API, approve_claim, book, invoices, upload
from bench.heap_probe import compare, snapshot_path
from railclaim_devkit.synthetic import uscc_with_check_digit

MIX = ("upload", "list", "upload", "list-status", "claim", "list-q", "book", "vouchers",
       "upload", "list", "export")  # fmt: skip
ARCHIVE_EVERY = 50
SKIPPED = -1  # nothing to claim or book yet: not a request


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, op: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[f"{op} {status or 'conn. error'}"] += 1
            self.latencies.setdefault(op, []).append(seconds)

    def errors(self) -> int:
        return sum(
            n for key, n in self.statuses.items() if not key.split()[-1].startswith(("2", "4"))
        )


class Traffic:
    """The operations; invoice and claim ids flow from uploads to claims to bookings."""

    def __init__(
        self, office: Office, files: list[tuple[str, bytes]], tally: Tally, skip: list[str]
    ) -> None:
        self.office = office
        self.skip = set(skip)
        self.files = iter(files)
        self.tally = tally
        self.available: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.approved: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.bookings = 0
        self.lock = threading.Lock()

    def run(self, http: httpx.Client, op: str, n: int) -> None:
        op = op if n % ARCHIVE_EVERY else "archive"
        if op in self.skip:
            return
        started = time.perf_counter()
        try:
            status = self._dispatch(http, op)
        except httpx.TransportError:
            status = 0  # counted as an error; the client reconnects on its next request
        if status != SKIPPED:
            self.tally.record(op, status, time.perf_counter() - started)

    def _dispatch(self, http: httpx.Client, op: str) -> int:
        office = self.office
        finance = office.headers("finance")
        if op == "upload":
            with self.lock:
                item = next(self.files, None)
            if item is None:
                return SKIPPED
            response = upload(http, office, item)
            if response.status_code == 201:
                self.available.put(response.json()["id"])
            return response.status_code
        if op.startswith("list"):
            params = {"list": {}, "list-status": {"status": "available"}, "list-q": {"q": "G1"}}[op]
            return http.get(
                f"{API}/invoices", params=params, headers=office.headers("employee")
            ).status_code
        if op == "claim":
            invoice_id = _take(self.available)
            if invoice_id is None:
                return SKIPPED
            try:
                self.approved.put(approve_claim(http, office, invoice_id))
            except RuntimeError as exc:  # the step's status is in the message
                return int(str(exc).split(": ", 1)[1].split()[0])
            return 200
        if op == "book":
            claim_id = _take(self.approved)
            if claim_id is None:
                return SKIPPED
            with self.lock:
                self.bookings += 1
                who = "finance" if self.bookings % 2 else "finance2"
            return book(http, office, claim_id, who).status_code
        if op == "vouchers":
            return http.get(f"{API}/vouchers", headers=finance).status_code
        if op == "export":
            return http.get(f"{API}/vouchers/export", params={"period": "2026-11", "format": "csv"},
                            headers=finance).status_code  # fmt: skip
        response = http.get(f"{API}/archive/export", params={"from": "2026-11", "to": "2026-11"},
                            headers=finance)  # fmt: skip
        return response.status_code


def _take(ids: queue.SimpleQueue[str]) -> str | None:
    try:
        return ids.get_nowait()
    except queue.Empty:
        return None


def sample(pid: int) -> tuple[float, int]:
    """(RSS in MiB, open file descriptors) of a process, from /proc."""
    rss_kib = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kib = int(line.split()[1])
    return rss_kib / 1024, len(os.listdir(f"/proc/{pid}/fd"))


def drive(
    base_url: str, traffic: Traffic, args: argparse.Namespace, pid: int, heap_dir: Path
) -> tuple[list[tuple[float, float, int, int, int]], int]:
    """Fixed-rate schedule for --minutes; returns (t, rss MiB, fds, ops done, errors) samples
    and the number of heap snapshots asked for.

    With --heap, asks the server for a heap snapshot at each of its even intervals but the last
    (taken by `heap_report` once the traffic has stopped), each once the one before is written:
    signals do not queue, so two arriving together would make one snapshot."""
    duration = args.minutes * 60
    snapshots_due = [duration * k / args.heap for k in range(1, args.heap)]
    snapshots_asked = 0
    work: queue.Queue[tuple[str, int] | None] = queue.Queue()
    done = [0]

    def client() -> None:
        with httpx.Client(base_url=base_url, timeout=120) as http:
            while (item := work.get()) is not None:
                traffic.run(http, *item)
                with traffic.lock:
                    done[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    samples: list[tuple[float, float, int, int, int]] = []
    started = time.monotonic()
    end = started + duration
    n, next_sample = 0, started
    while (now := time.monotonic()) < end:
        if now >= next_sample:
            rss, fds = sample(pid)
            samples.append((now - started, rss, fds, done[0], traffic.tally.errors()))
            print(f"{now - started:6.0f} s  rss {rss:6.1f} MiB  fds {fds:3d}  ops {done[0]:5d}  "
                  f"backlog {work.qsize():3d}  errors {samples[-1][4]}", flush=True)  # fmt: skip
            next_sample += args.sample_seconds
        if (
            snapshots_due
            and now - started >= snapshots_due[0]
            and (snapshots_asked == 0 or snapshot_path(heap_dir, snapshots_asked).exists())
        ):
            os.kill(pid, signal.SIGUSR1)
            snapshots_due.pop(0)
            snapshots_asked += 1
        due = started + n / args.rate
        if now >= due:
            work.put((MIX[n % len(MIX)], n + 1))
            n += 1
            continue
        time.sleep(min(due, next_sample) - now)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join(timeout=300)
    rss, fds = sample(pid)
    samples.append((time.monotonic() - started, rss, fds, done[0], traffic.tally.errors()))
    return samples, snapshots_asked


def heap_report(pid: int, folder: Path, asked: int, out: Path) -> None:
    """Takes the last snapshot, once the `asked` before it are written, and writes what the heap
    gained from the first to the last. (A snapshot still due when the traffic ended was never
    asked for: the last one is numbered after those that were.)"""
    if asked:
        _wait_for(snapshot_path(folder, asked))
    os.kill(pid, signal.SIGUSR1)
    last = snapshot_path(folder, asked + 1)
    _wait_for(last)
    lines = compare(snapshot_path(folder, 1), last)
    print("\n".join(lines))
    out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{out}-heap.txt").write_text("\n".join(lines) + "\n")


def _wait_for(snapshot: Path) -> None:
    # Generous: writing a snapshot of a large heap stalls the busy server a while.
    deadline = time.monotonic() + 300
    while not snapshot.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server wrote no heap snapshot {snapshot.name}")
        time.sleep(0.5)


def judge(samples: list[tuple[float, float, int, int, int]], args: argparse.Namespace) -> list[str]:
    third = max(1, len(samples) // 3)
    first, last = samples[:third], samples[-third:]
    rss_first, rss_last = (sum(s[1] for s in part) / len(part) for part in (first, last))
    fd_first, fd_last = (sum(s[2] for s in part) / len(part) for part in (first, last))
    growth = (rss_last / rss_first - 1) * 100
    print(
        f"RSS mean first third {rss_first:.1f} MiB, last third {rss_last:.1f} MiB "
        f"({growth:+.1f} %); FDs {fd_first:.1f} → {fd_last:.1f}"
    )
    failures = []
    if rss_last > rss_first * (1 + args.rss_bound):
        failures.append(
            f"RSS grew {(rss_last / rss_first - 1) * 100:.1f} % > {args.rss_bound * 100:.0f} %"
        )
    if fd_last > fd_first + args.fd_bound:
        failures.append(f"FDs grew by {fd_last - fd_first:.1f} > {args.fd_bound}")
    return failures


def write_outputs(samples: list[tuple[float, float, int, int, int]], out: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.parent.mkdir(parents=True, exist_ok=True)
    with out.with_suffix(".csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["seconds", "rss_mib", "open_fds", "operations_done", "errors"])
        writer.writerows((f"{t:.1f}", f"{r:.1f}", f, d, e) for t, r, f, d, e in samples)
    minutes = [s[0] / 60 for s in samples]
    fig, (rss_ax, fd_ax, ops_ax) = plt.subplots(3, 1, sharex=True, figsize=(8, 7))
    rss_ax.plot(minutes, [s[1] for s in samples], color="tab:blue")
    rss_ax.set_ylabel("RSS (MiB)")
    rss_ax.set_ylim(bottom=0)
    fd_ax.plot(minutes, [s[2] for s in samples], color="tab:orange")
    fd_ax.set_ylabel("open FDs")
    fd_ax.set_ylim(bottom=0)
    ops_ax.plot(minutes, [s[3] for s in samples], color="tab:green", label="operations done")
    ops_ax.plot(minutes, [s[4] for s in samples], color="tab:red", label="5xx / conn. errors")
    ops_ax.set_ylabel("cumulative")
    ops_ax.set_xlabel("minutes")
    ops_ax.legend(loc="upper left")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out.with_suffix(".png"), dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4, help="operations per second")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--sample-seconds", type=float, default=5)
    parser.add_argument("--rss-bound", type=float, default=0.10, help="allowed RSS growth share")
    parser.add_argument("--fd-bound", type=float, default=8, help="allowed FD mean growth")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "soak")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument(
        "--heap", type=int, default=0, help="heap snapshots under tracemalloc (0: off, else >= 2)"
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=sorted({*MIX, "archive"}), help="leave out ops"
    )
    args = parser.parse_args()
    if args.heap < 0 or args.heap == 1:
        parser.error("--heap is 0 (off) or 2 or more: the first and the last are compared")
    workdir = Path(tempfile.mkdtemp(prefix="rc_soak_"))
    uscc = uscc_with_check_digit("91310000MA1DURA00")
    uploads = int(args.minutes * 60 * args.rate * MIX.count("upload") / len(MIX)) + 10
    files = invoices(args.seed, uploads, uscc)
    tally = Tally()
    try:
        with database(args.engine, workdir) as url:
            office = make_office(url, workdir, uscc)
            port = free_port()
            env = server_env(url, workdir)
            argv = serve_argv(1, port)
            if args.heap:
                argv = [sys.executable, "-m", "bench.heap_probe", *argv[1:]]
                env = {**env, "RAILCLAIM_HEAP_DIR": str(workdir / "heap"), "PYTHONPATH": str(REPO)}
            with serving(argv, env, workdir, port) as (base_url, pid):
                traffic = Traffic(office, files, tally, args.skip)
                samples, asked = drive(base_url, traffic, args, pid, workdir / "heap")
                if args.heap:
                    heap_report(pid, workdir / "heap", asked, args.out)
            if tally.errors():  # the server's tracebacks, before the workdir goes
                print((workdir / f"server-{port}.log").read_text()[-8000:])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    title = f"soak: {args.minutes:g} min at {args.rate:g} ops/s, {args.engine}, one worker"
    if args.heap:
        title += ", under tracemalloc"
    if args.skip:
        title += f", without {' '.join(args.skip)}"
    write_outputs(samples, args.out, title)
    for key, count in sorted(tally.statuses.items()):
        print(f"{key}: {count}")
    for op, values in sorted(tally.latencies.items()):
        ordered = sorted(values)
        print(f"{op}: n={len(ordered)} p50={ordered[len(ordered) // 2] * 1000:.0f} ms "
              f"p95={ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms")  # fmt: skip
    failures = judge(samples, args)
    if tally.errors():
        failures.append(f"{tally.errors()} responses were 5xx or connection errors")
    print("FAIL: " + "; ".join(failures) if failures else "OK: zero 5xx, RSS and FDs flat")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
