"""Parsing throughput on one core: full parse, XBRL-only, text-only, beside bare pypdf.

    .venv/bin/python bench/parse_bench.py [--n 400] [--repeat 5] [--seed 12306] [--profile MODE]
        [--corpus plain|real] [--clock wall|cpu] [--kind railway|air]

`--corpus real` cycles through every reported variant of real 12306 files (DOMAIN §4, the
dev kit's `REAL_VARIANTS`: font set-ups, attachment names and places, drawing orders). `--clock
cpu` counts this process's CPU seconds instead of wall time, for a machine other work is loading.
`--kind air` measures air e-itineraries instead (the dev kit's `air-pdf` / `air-pdf-no-xbrl`
corpus, or with `--corpus real` its `AIR_REAL_VARIANTS`), one to four flights each.

Targets (SPEC "Quality bars"): full parse (XBRL + face cross-check) >= 200 PDFs/s, XBRL-only
>= 800 PDFs/s, text-only within 2x of bare `pypdf` `extract_text()` on the same files.
Results are recorded in docs/BENCHMARKS.md ("Parsing").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import platform
import pstats
import random
import time
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.invoices.parsing import ParseError, parse_file
from railclaim_devkit.synthetic import random_air_spec, random_spec
from railclaim_devkit.synthetic.air_corpus import generate_air_corpus
from railclaim_devkit.synthetic.air_variants import AIR_REAL_VARIANTS, render_air_real
from railclaim_devkit.synthetic.corpus import generate_corpus
from railclaim_devkit.synthetic.real_variants import REAL_VARIANTS, render_real

Workload = Callable[[bytes], object]


def bare_pypdf(data: bytes) -> object:
    try:
        return PdfReader(io.BytesIO(data)).pages[0].extract_text()
    except PdfReadError:
        return None  # embedded DengXian with two FontFile entries: pypdf refuses the font


def full_parse(data: bytes) -> object:
    return parse_file(data)


def xbrl_only(data: bytes) -> object:
    return parse_file(data, cross_check=False)


def corpus(seed: int, n: int, variant: str) -> list[bytes]:
    return [f.data for f in generate_corpus(seed, n, (variant,))]


def air_corpus(seed: int, n: int, variant: str) -> list[bytes]:
    return [f.data for f in generate_air_corpus(seed, n, (variant,))]


def air_real_corpus(seed: int, n: int, *, with_xbrl: bool) -> list[bytes]:
    """`n` itinerary PDFs cycling through the reported variants as air."""
    names = sorted(AIR_REAL_VARIANTS)
    return [
        render_air_real(
            random_air_spec(random.Random(seed + i)),
            names[i % len(names)],
            "pdf",
            with_xbrl=with_xbrl,
        )
        for i in range(n)
    ]


def corpora(kind: str, plan: str, seed: int, n: int) -> tuple[list[bytes], list[bytes]]:
    """(files with XBRL, files without) of the kind and corpus plan."""
    if plan == "real":
        real = air_real_corpus if kind == "air" else real_corpus
        return real(seed, n, with_xbrl=True), real(seed + n, n, with_xbrl=False)
    if kind == "air":
        return air_corpus(seed, n, "air-pdf"), air_corpus(seed + 1, n, "air-pdf-no-xbrl")
    return corpus(seed, n, "pdf"), corpus(seed + 1, n, "pdf-no-xbrl")


def real_corpus(seed: int, n: int, *, with_xbrl: bool) -> list[bytes]:
    """`n` PDFs cycling through the reported variants of real files."""
    names = sorted(REAL_VARIANTS)
    return [
        render_real(
            random_spec(random.Random(seed + i)), names[i % len(names)], "pdf", with_xbrl=with_xbrl
        )
        for i in range(n)
    ]


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def rate(work: Workload, files: list[bytes], repeat: int, clock: str = "wall") -> float:
    """Files per second, best of `repeat` passes (the least disturbed by the machine)."""
    now = CLOCKS[clock]
    best = float("inf")
    for _ in range(repeat):
        started = now()
        for data in files:
            work(data)
        best = min(best, now() - started)
    return len(files) / best


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return f"pinned to CPU {min(os.sched_getaffinity(0))}"
    return "not pinned (no sched_setaffinity)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="files per corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12306)
    parser.add_argument("--profile", choices=["full", "xbrl", "text"], default=None)
    parser.add_argument("--corpus", choices=["plain", "real"], default="plain")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    parser.add_argument("--kind", choices=["railway", "air"], default="railway")
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    pinned = pin_to_one_core()
    with_xbrl, without_xbrl = corpora(args.kind, args.corpus, args.seed, args.n)
    try:
        parse_file(with_xbrl[0])
    except ParseError as exc:
        raise SystemExit(f"the parser refuses the {args.kind} corpus ({exc.code}): {exc}") from exc
    runs: dict[str, tuple[Workload, list[bytes]]] = {
        "full": (full_parse, with_xbrl),
        "xbrl": (xbrl_only, with_xbrl),
        "text": (full_parse, without_xbrl),
    }
    if args.profile:
        work, files = runs[args.profile]
        profiler = cProfile.Profile()
        profiler.runcall(rate, work, files, 1)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    workloads = {
        "full parse (XBRL + face cross-check)": (full_parse, with_xbrl),
        "XBRL-only": (xbrl_only, with_xbrl),
        "text-only (no XBRL)": (full_parse, without_xbrl),
        "bare pypdf extract_text (no-XBRL files)": (bare_pypdf, without_xbrl),
        "bare pypdf extract_text (XBRL files)": (bare_pypdf, with_xbrl),
    }
    results = {
        name: rate(work, files, args.repeat, args.clock)
        for name, (work, files) in workloads.items()
    }
    print(f"python {platform.python_version()}, {platform.machine()}, {pinned}, {args.clock} clock")
    print(
        f"{args.n} generated one-page {args.kind} PDFs per corpus ({args.corpus}),"
        f" best of {args.repeat} passes"
    )
    for name, value in results.items():
        print(f"  {name:42s} {value:8.0f} PDFs/s")
    text, bare = results["text-only (no XBRL)"], results["bare pypdf extract_text (no-XBRL files)"]
    print(f"  text-only / bare pypdf: {text / bare:.2f}x (target: >= 0.5x)")


if __name__ == "__main__":
    main()
