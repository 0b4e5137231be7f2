"""Long API fuzzing: the schemathesis test with many examples per operation, on both engines.

    .venv/bin/python bench/fuzz_api.py [--examples 300] [--engines sqlite,postgresql]

Runs tests/fuzz/test_api_schemathesis.py (every operation of the OpenAPI schema, as every role,
half the requests aimed at real objects; no 5xx, responses as documented) with
RAILCLAIM_API_FUZZ_EXAMPLES and RAILCLAIM_API_FUZZ_ENGINES set, and prints the time it took.
PostgreSQL needs the test server of `make test`. Results go in docs/RELIABILITY.md ("Fuzzing").
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    env = {
        **os.environ,
        "RAILCLAIM_API_FUZZ_EXAMPLES": str(args.examples),
        "RAILCLAIM_API_FUZZ_ENGINES": args.engines,
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/fuzz/test_api_schemathesis.py",
    ]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - started
    print(
        f"{platform.node()}: {args.examples} examples per operation on {args.engines} "
        f"in {elapsed:.0f} s, exit {result.returncode}"
    )
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
