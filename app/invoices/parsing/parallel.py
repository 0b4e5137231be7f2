"""Parsing many files in a second process while the caller does other work with the results.

A parse is CPU-bound Python, so threads cannot overlap it with the caller's own work; a process
can. The worker is spawned, so it imports this package and whatever the host's `__main__`
imports (under `railclaim serve`, the app): 1.6–1.7 s to its first result on the 2-core bench
machine, which pays off from a few hundred files on.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from app.invoices.parsing.entry import parse_file
from app.invoices.parsing.model import ParsedInvoice, ParseError, ParseLimits

ParseOutcome = list[ParsedInvoice] | ParseError

log = logging.getLogger(__name__)

# Results come back in batches: fewer round trips between the processes.
_CHUNK = 16


def parse_outcome(item: tuple[bytes, str, ParseLimits]) -> ParseOutcome:
    """The parse of one file, or its refusal as a value (it crosses a process boundary)."""
    data, filename, limits = item
    try:
        return parse_file(data, filename, limits=limits)
    except ParseError as exc:
        return exc


def parse_in_background(
    files: list[tuple[bytes, str]], limits: ParseLimits
) -> Generator[ParseOutcome]:
    """The outcomes in order, computed ahead by one worker process while the caller consumes.

    Spawned rather than forked: the caller is a threaded server, and a forked child could
    inherit a lock some other thread held. Closing the generator early (the caller failed)
    cancels what the worker has not started. Any other exception in the worker is raised here.
    """
    context = multiprocessing.get_context("spawn")
    items = [(data, filename, limits) for data, filename in files]
    done = 0
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
    try:
        for outcome in pool.map(parse_outcome, items, chunksize=_CHUNK):
            done += 1
            yield outcome
    except BrokenProcessPool:
        # The worker could not start (a host program without a __main__ guard) or died: the
        # rest is parsed here, as it would have been without the second process.
        log.warning("parse worker unavailable; parsing %d files in process", len(items) - done)
        yield from (parse_outcome(item) for item in items[done:])
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
