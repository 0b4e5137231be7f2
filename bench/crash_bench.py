"""Crash safety at full size: the kill -9 tests, both engines, both stores, several rounds.

    .venv/bin/python -m bench.crash_bench [--rounds 3] [--scale 4] [-k s3]

Runs tests/reliability/test_crash_safety.py (the slow SQLite and S3 variants included; `-k`
selects among them like pytest's, e.g. `-k s3` for the SeaweedFS worlds only) `--rounds` times
with RAILCLAIM_CRASH_SCALE=`--scale`: 120×scale files stormed by 6 threads with the kill after
12×scale uploads, and 8×scale claims booked at once with the kill after 3×scale bookings. Each
round kills at a different moment (the machine's timing decides), which is the point of
repeating. Results: docs/RELIABILITY.md ("Crash safety").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench._servers import REPO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("-k", dest="select", default="", help="pytest -k expression")
    args = parser.parse_args()
    env = {**os.environ, "RAILCLAIM_CRASH_SCALE": str(args.scale)}
    failed = 0
    for round_ in range(1, args.rounds + 1):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "",
             *(["-k", args.select] if args.select else []),
             "tests/reliability/test_crash_safety.py"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
        print(f"round {round_}: {summary} ({time.perf_counter() - started:.0f} s)", flush=True)
        if done.returncode != 0:
            failed += 1
            print(done.stdout[-6000:])
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
