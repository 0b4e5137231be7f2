"""Slow and unauthenticated bodies against a served railclaim (SPEC hardening, issue 15.5).

Opens N connections at once: half send no credentials and announce a 20 MB multipart body, half
send a valid token, the first 64 KiB of a body, then nothing. Reports how soon each half was
answered (401 before the body; 408 at RAILCLAIM_BODY_TIMEOUT_SECONDS) and the server's open
file descriptors while they wait and after.

    .venv/bin/python bench/slow_bodies.py --connections 300 --timeout 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._servers import (
    child_pids,
    database,
    free_port,
    make_office,
    serve_argv,
    server_env,
    serving,
)
from railclaim_devkit.synthetic import uscc_with_check_digit

ANNOUNCED = 20 * 1024 * 1024


def open_fds(pids: list[int]) -> int:
    return sum(len(os.listdir(f"/proc/{pid}/fd")) for pid in pids if os.path.exists(f"/proc/{pid}"))


async def one(port: int, token: str | None) -> tuple[int, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"POST /api/v1/invoices HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
        f"Content-Type: multipart/form-data; boundary=zzz\r\nContent-Length: {ANNOUNCED}\r\n\r\n"
        '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    writer.write(head.encode() + b"%PDF" + b"x" * 65536)
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=120)
    elapsed = time.perf_counter() - started
    writer.close()
    return int(status_line.split()[1]), elapsed


async def storm(port: int, token: str, connections: int, pids: list[int]) -> dict[str, object]:
    tasks = [asyncio.create_task(one(port, None if n % 2 else token)) for n in range(connections)]
    peak = 0
    while not all(t.done() for t in tasks):
        peak = max(peak, open_fds(pids))
        await asyncio.sleep(0.2)
    results = [t.result() for t in tasks]
    await asyncio.sleep(1)  # let the server close what the clients closed
    by_status: dict[int, list[float]] = {}
    for status, elapsed in results:
        by_status.setdefault(status, []).append(elapsed)
    return {
        "answers": {
            status: {
                "count": len(times),
                "median_s": round(statistics.median(times), 3),
                "max_s": round(max(times), 3),
            }
            for status, times in sorted(by_status.items())
        },
        "peak_fds": peak,
        "fds_after": open_fds(pids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=5.0, help="RAILCLAIM_BODY_TIMEOUT_SECONDS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database("sqlite", Path(tmp)) as url:
        workdir = Path(tmp)
        office = make_office(url, workdir, uscc_with_check_digit("91310000MA1B0DY00"))
        env = {**server_env(url, workdir), "RAILCLAIM_BODY_TIMEOUT_SECONDS": str(args.timeout)}
        port = free_port()
        with serving(serve_argv(1, port), env, workdir, port) as (_url, pid):
            pids = [pid, *child_pids(pid)]
            idle = open_fds(pids)
            report = asyncio.run(storm(port, office.tokens["employee"], args.connections, pids))
    print({"connections": args.connections, "timeout_s": args.timeout, "idle_fds": idle, **report})


if __name__ == "__main__":
    main()
