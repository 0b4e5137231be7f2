"""Sixteen decompression bombs at once against a served railclaim: the server's RSS growth.

SPEC "Hardening rules": sixteen bomb uploads at once grow the server's RSS by less than 512 MiB.
Four of each kind go up at the same moment, each on its own connection, to `POST /invoices`:
- a ZIP whose member header declares 4 KiB and inflates to 1 GiB;
- ZIP tricks: a ZIP holding that bomb inside a ZIP (twice), 150 entries sharing one stored MiB
  (Fifield's overlap; twice);
- PDF deflate bombs: a page stream of 256 MiB, an attachment of 256 MiB, twelve content parts
  of 10 MiB, thirty-two attachments of 10 MiB;
- billion laughs as a railway XBRL instance.
Each must be refused: a 4xx problem, or for a ZIP (which answers like /invoice-batches) 200 with
every result `rejected`. RSS is VmRSS from /proc, summed over the server and its workers,
sampled every 20 ms; the baseline is taken after a few real uploads have warmed every path.

    .venv/bin/python bench/bomb_bench.py [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._servers import (
    ENTITY_NAME,
    ID_MASKED,
    PASSENGER,
    child_pids,
    database,
    free_port,
    make_office,
    serve_argv,
    server_env,
    serving,
)
from railclaim_devkit.synthetic import (
    hostile,
    hostile_pdf,
    random_spec,
    render_pdf,
    uscc_with_check_digit,
)
from railclaim_devkit.synthetic.zipfiles import render_zip

_MIB = 1024 * 1024
USCC = "91310000MA1B0DY00"


def _nested_bomb() -> bytes:
    return render_zip([("inner.zip", hostile.lying_zip_bomb())])


BOMBS: list[tuple[str, Callable[[], bytes]]] = [
    *[("lying_header.zip", hostile.lying_zip_bomb)] * 4,
    ("nested_bomb.zip", _nested_bomb),
    ("nested_bomb.zip", _nested_bomb),
    ("overlapping.zip", hostile.overlapping_zip_bomb),
    ("overlapping.zip", hostile.overlapping_zip_bomb),
    ("deflate_bomb.pdf", hostile_pdf.deflate_bomb_pdf),
    ("attachment_bomb.pdf", lambda: hostile_pdf.deflate_bomb_pdf(in_attachment=True)),
    ("content_parts.pdf", hostile_pdf.content_parts_bomb_pdf),
    ("many_attachments.pdf", hostile_pdf.many_attachments_bomb_pdf),
    *[("billion_laughs.xml", hostile.billion_laughs_xml)] * 4,
]


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
        total += int(line.split()[1]) * 1024
    return total


class PeakSampler:
    """Samples the summed RSS of the server's processes until stopped; keeps the peak."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.peak = pids, rss_bytes(pids)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes(self.pids))

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def refused(response: httpx.Response) -> bool:
    if 400 <= response.status_code < 500:
        return response.headers.get("content-type", "").startswith("application/problem+json")
    if response.status_code == 200:  # a ZIP answers like /invoice-batches
        results = response.json().get("results", [])
        return bool(results) and all(r["outcome"] == "rejected" for r in results)
    return False


def upload(base_url: str, token: str, name: str, data: bytes) -> tuple[str, int, str]:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        response = client.post(
            "/api/v1/invoices",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (name, data, "application/octet-stream")},
        )
    problem = response.json().get("type", "") if response.status_code != 200 else ""
    if response.status_code == 200:
        problem = ",".join(sorted({r["problem"]["type"] for r in response.json()["results"]}))
    return name, response.status_code, problem if refused(response) else f"NOT REFUSED {problem}"


def warm_up(base_url: str, token: str, uscc: str, count: int = 8) -> None:
    """Real uploads first, so the baseline includes every path a normal upload touches."""
    rng = random.Random(15)
    for _ in range(count):
        spec = random_spec(
            rng,
            buyer_name=ENTITY_NAME,
            buyer_tax_id=uscc,
            passenger_name=PASSENGER,
            passenger_id_masked=ID_MASKED,
        )
        with httpx.Client(base_url=base_url, timeout=60) as client:
            client.post(
                "/api/v1/invoices",
                headers={"Authorization": f"Bearer {token}"},
                files={"file": ("warm.pdf", render_pdf(spec), "application/pdf")},
            ).raise_for_status()


def storm(base_url: str, token: str, files: list[tuple[str, bytes]], pids: list[int]) -> dict:
    before = rss_bytes(pids)
    barrier = threading.Barrier(len(files))

    def send(item: tuple[str, bytes]) -> tuple[str, int, str]:
        barrier.wait()
        return upload(base_url, token, *item)

    started = time.perf_counter()
    with PeakSampler(pids) as sampler, ThreadPoolExecutor(len(files)) as pool:
        answers = list(pool.map(send, files))
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    return {
        "before": before,
        "peak": sampler.peak,
        "after": rss_bytes(pids),
        "seconds": elapsed,
        "answers": answers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = [(name, build()) for name, build in BOMBS]
    print(f"python {platform.python_version()}, {platform.machine()}, workers {args.workers}")
    print("bombs: " + ", ".join(f"{n} ({len(d) / _MIB:.2f} MiB)" for n, d in files[::2]))
    with tempfile.TemporaryDirectory() as tmp, database("sqlite", Path(tmp)) as url:
        workdir = Path(tmp)
        office = make_office(url, workdir, uscc_with_check_digit(USCC))
        port = free_port()
        env = server_env(url, workdir)
        with serving(serve_argv(args.workers, port), env, workdir, port) as (base_url, pid):
            pids = [pid, *child_pids(pid)]
            warm_up(base_url, office.tokens["employee"], office.uscc)
            worst, highest, first_baseline, unrefused = 0, 0, rss_bytes(pids), 0
            for round_number in range(1, args.rounds + 1):
                result = storm(base_url, office.tokens["employee"], files, pids)
                growth = result["peak"] - result["before"]
                worst, highest = max(worst, growth), max(highest, result["peak"])
                print(
                    f"round {round_number}: RSS before {result['before'] / _MIB:.1f} MiB, "
                    f"peak {result['peak'] / _MIB:.1f} MiB (growth {growth / _MIB:.1f} MiB), "
                    f"after {result['after'] / _MIB:.1f} MiB, {result['seconds']:.2f} s"
                )
                for name, status, problem in result["answers"]:
                    print(f"    {name:22s} {status} {problem}")
                    unrefused += problem.startswith("NOT REFUSED")
    print(f"uploads not refused: {unrefused} of {len(files) * args.rounds}")
    verdict = "OK" if worst < 512 * _MIB else "OVER"
    print(f"worst RSS growth in one round: {worst / _MIB:.1f} MiB (bar < 512 MiB: {verdict})")
    # Freed memory stays with the allocator's per-thread arenas: RSS creeps to a plateau.
    print(
        f"highest peak over all rounds: {highest / _MIB:.1f} MiB, "
        f"{(highest - first_baseline) / _MIB:.1f} MiB above the warm baseline"
    )


if __name__ == "__main__":
    main()
