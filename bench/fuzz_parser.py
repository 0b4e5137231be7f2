"""Long parser fuzzing: mutated invoice files into parse_file until a count or a time is reached.

    .venv/bin/python bench/fuzz_parser.py [--seconds 600] [--iterations N] [--seed 1]
                                          [--max-rounds 3] [--trace-memory] [--out var/fuzz]

Same mutations and seeds (railway and air) as tests/fuzz/test_parser_mutations.py
(railclaim_devkit.synthetic.mutate), driven by a seeded random.Random instead of Hypothesis: an
input that raises anything but a ParseError, or takes more than 5 s of CPU (or 256 MiB with
--trace-memory), is written to --out with its seed and iteration, and the run exits 1. Prints
outcomes per code, the slowest input and throughput.
Results go in docs/RELIABILITY.md ("Fuzzing").
"""

from __future__ import annotations

import argparse
import collections
import logging
import platform
import random
import time
import traceback
import tracemalloc
import warnings
from pathlib import Path

from app.invoices.parsing import ParseError, parse_file
from railclaim_devkit.synthetic.mutate import air_seed_files, mutate, seed_files

MAX_CPU_SECONDS = 5.0
MAX_PEAK_BYTES = 256 * 1024 * 1024


def run_one(data: bytes, name: str, trace_memory: bool) -> tuple[str, float, int]:
    """(outcome, CPU seconds, peak bytes); outcome is 'parsed', a refusal code or 'CRASH …'."""
    if trace_memory:
        tracemalloc.start()
    started = time.thread_time()
    try:
        parse_file(data, name)
        outcome = "parsed"
    except ParseError as exc:
        outcome = exc.code
    except Exception as exc:  # the point of fuzzing: anything else is a finding to keep
        outcome = f"CRASH {type(exc).__name__}: {exc}"[:300]
        traceback.print_exc(limit=-3)
    cpu = time.thread_time() - started
    peak = 0
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, cpu, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--iterations", type=int, default=0, help="0: until --seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-rounds", type=int, default=3)
    parser.add_argument("--trace-memory", action="store_true")
    parser.add_argument("--out", type=Path, default=Path("var/fuzz"))
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # pypdf warns on every damaged file
    warnings.simplefilter("ignore")

    seeds = seed_files() + air_seed_files()
    rng = random.Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    slowest = (0.0, "")
    peak_max = 0
    findings = 0
    started = time.monotonic()
    iteration = 0
    while (args.iterations and iteration < args.iterations) or (
        not args.iterations and time.monotonic() - started < args.seconds
    ):
        iteration += 1
        seed = rng.choice(seeds)
        data = mutate(seed, rng, seeds, rng.randint(1, args.max_rounds))
        outcome, cpu, peak = run_one(data, seed.name, args.trace_memory)
        outcomes[outcome.split(":")[0]] += 1
        slowest = max(slowest, (cpu, f"{seed.name} #{iteration}"))
        peak_max = max(peak_max, peak)
        if outcome.startswith("CRASH") or cpu > MAX_CPU_SECONDS or peak > MAX_PEAK_BYTES:
            findings += 1
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / f"seed{args.seed}-{iteration}-{seed.name}"
            target.write_bytes(data)
            print(f"FINDING {target}: {outcome} cpu={cpu:.2f}s peak={peak / 2**20:.0f}MiB")
    elapsed = time.monotonic() - started
    print(f"{platform.node()} {platform.processor() or platform.machine()} seed={args.seed}")
    rate = iteration / elapsed
    print(f"{iteration} inputs in {elapsed:.0f} s ({rate:.0f}/s), findings={findings}")
    slow_ms, peak_mib = slowest[0] * 1000, peak_max / 2**20
    print(f"slowest: {slow_ms:.1f} ms CPU ({slowest[1]}); peak {peak_mib:.1f} MiB")
    for outcome, count in outcomes.most_common():
        print(f"  {count:8d}  {outcome}")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
