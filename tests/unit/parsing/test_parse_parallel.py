"""Parsing in a second process gives the same outcomes, in order, as parsing in this one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

from app.invoices.parsing import DEFAULT_LIMITS, ParsedInvoice, ParseError, parallel
from railclaim_devkit.synthetic import random_spec, render_ofd, render_pdf

JUNK = b"%PDF-1.7 garbage"


def _files() -> list[tuple[bytes, str]]:
    rng = random.Random(5)
    specs = [random_spec(rng) for _ in range(3)]
    return [
        (render_pdf(specs[0]), "a.pdf"),
        (JUNK, "junk.pdf"),
        (render_ofd(specs[1]), "b.ofd"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "photo.png"),
        (render_pdf(specs[2]), "c.pdf"),
    ]


def _summary(outcomes: Iterator[parallel.ParseOutcome]) -> list[tuple[str, str]]:
    return [
        (o.code, str(o))
        if isinstance(o, ParseError)
        else ("parsed", ",".join(p.invoice_number for p in o))
        for o in outcomes
    ]


def test_a_second_process_parses_like_this_one() -> None:
    files = _files()
    here = _summary(parallel.parse_outcome((d, n, DEFAULT_LIMITS)) for d, n in files)
    there = _summary(parallel.parse_in_background(files, DEFAULT_LIMITS))
    assert there == here
    assert [kind for kind, _ in there] == [
        "parsed",
        "unreadable-file",
        "parsed",
        "unsupported-format",
        "parsed",
    ]


def test_a_refusal_keeps_its_details_across_the_process_boundary() -> None:
    [outcome] = parallel.parse_in_background([(JUNK, "junk.pdf")], DEFAULT_LIMITS)
    assert isinstance(outcome, ParseError)
    assert outcome.code == "unreadable-file"
    assert outcome.message


class _DeadPool:
    """A pool whose worker dies after the first result."""

    def __init__(self, **_: Any) -> None:
        pass

    def shutdown(self, **_: Any) -> None:
        return None

    def map(self, fn: Any, items: list[Any], **_: Any) -> Iterator[Any]:
        yield fn(items[0])
        raise BrokenProcessPool("worker died")


def test_a_dead_worker_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", _DeadPool)
    outcomes = list(parallel.parse_in_background(_files(), DEFAULT_LIMITS))
    assert len(outcomes) == 5
    assert isinstance(outcomes[0], list)
    assert isinstance(outcomes[0][0], ParsedInvoice)
    assert isinstance(outcomes[1], ParseError)
    assert isinstance(outcomes[4], list)
