"""Mutated invoice files into `parse_file`: a parse or a typed refusal, within time and memory.

Hypothesis draws the seed file, the mutation family and its random choices, so a failure
shrinks to a short mutation of one file. CI runs a few examples per family
(`RAILCLAIM_FUZZ_EXAMPLES`, default 50); `bench/fuzz_parser.py` runs the long version.
"""

from __future__ import annotations

import os
import random
import time
import tracemalloc
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.invoices.parsing import ParseError, UnreadableFile, parse_file
from railclaim_devkit.synthetic import random_spec, render_12306_bundle, render_xbrl
from railclaim_devkit.synthetic.mutate import (
    MUTATORS,
    Seed,
    air_seed_files,
    mutate,
    seed_files,
    with_corrupt_deflate,
)

EXAMPLES = int(os.environ.get("RAILCLAIM_FUZZ_EXAMPLES", "50"))
# Generous bounds (SPEC: safety limits asserted with generous bounds, speed only benchmarked):
# the parser's own budget is 5 s per file; CPU time, so a busy machine does not fail the test.
MAX_CPU_SECONDS = 5.0
MAX_PEAK_BYTES = 256 * 1024 * 1024
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def seeds() -> list[Seed]:
    """Railway invoices and air itineraries of every file kind, and a mixed ZIP."""
    return seed_files() + air_seed_files()


def parse_within_limits(data: bytes, name: str) -> str:
    """'parsed' or the refusal's code; fails on any other exception or an exceeded bound."""
    tracemalloc.start()
    started = time.thread_time()
    try:
        parse_file(data, name)
        outcome = "parsed"
    except ParseError as exc:
        outcome = exc.code
    finally:
        cpu = time.thread_time() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert cpu < MAX_CPU_SECONDS, f"{name}: {cpu:.1f} s of CPU"
    assert peak < MAX_PEAK_BYTES, f"{name}: {peak / 2**20:.0f} MiB at peak"
    return outcome


@pytest.mark.parametrize("family", sorted(MUTATORS))
def test_mutated_files_parse_or_are_refused(family: str) -> None:
    @FUZZ
    @given(index=st.integers(0, len(seeds()) - 1), rng=st.randoms(use_true_random=False))
    def check(index: int, rng: random.Random) -> None:
        seed = seeds()[index]
        data = MUTATORS[family](seed.data, rng, seeds())
        assert parse_within_limits(data, seed.name) in CODES

    check()


@FUZZ
@given(index=st.integers(0, 12), rounds=st.integers(2, 6), rng=st.randoms(use_true_random=False))
def test_repeated_mutations(index: int, rounds: int, rng: random.Random) -> None:
    seed = seeds()[index % len(seeds())]
    assert parse_within_limits(mutate(seed, rng, seeds(), rounds), seed.name) in CODES


CODES = {
    "parsed",
    "unreadable-file",
    "encrypted-file",
    "not-a-travel-invoice",
    "unsupported-format",
    "too-large",
}


def test_the_seeds_parse_unmutated() -> None:
    """Mutations start from valid files; otherwise they would only ever test refusals."""
    for seed in seeds():
        assert parse_within_limits(seed.data, seed.name) == "parsed", seed.name


# --- regressions found by this fuzzing -------------------------------------------------------


def test_corrupt_deflate_stream_in_a_zip_is_unreadable() -> None:
    """zlib.error escaped parse_file (and made POST /invoices answer 500)."""
    bundle = render_12306_bundle([random_spec(random.Random(4))])
    with pytest.raises(UnreadableFile):
        parse_file(with_corrupt_deflate(bundle), "bundle.zip")


def test_xml_with_an_unknown_encoding_is_unreadable() -> None:
    """LookupError ("unknown encoding: UTQ-8") escaped parse_file."""
    xml = render_xbrl(random_spec(random.Random(5)))
    broken = xml.replace(b'encoding="UTF-8"', b'encoding="UTQ-8"', 1)
    assert broken != xml
    with pytest.raises(UnreadableFile):
        parse_file(broken, "invoice.xml")
