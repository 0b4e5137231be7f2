"""Where an upload's CPU goes, phase by phase, in one thread without HTTP.

    .venv/bin/python -m bench.upload_phases [--engines sqlite postgresql] [--uploads 300]

For each engine a fresh database bootstrapped like `bench.upload_bench`, then each generated
invoice goes through the steps POST /api/v1/invoices runs, called directly: the token lookup,
`upload_invoice` (parse, decide, store, record, commit) and the response body. Each step's CPU
(`time.process_time`) is summed over the uploads and printed per upload; the steps inside
`upload_invoice` are timed by wrapping the functions it calls. What is left of the served
server CPU per upload (`bench.upload_bench`) beyond these is HTTP, multipart, middleware,
dependencies and threads.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench._workflow import invoices
from bench.upload_bench import WARMUP, local_app

# (module, function): the calls of `upload_invoice` and `record_intake` timed on their own.
_STEPS = [
    ("app.invoices.service", "parse_file"),
    ("app.invoices.service", "begin_read"),
    ("app.invoices.service", "decide_intake"),
    ("app.invoices.service", "_store_bytes"),
    ("app.invoices.service", "record_intake"),
    ("app.invoices.recording", "hold_ticket"),
    ("app.invoices.recording", "_invoice_row"),
    ("app.invoices.recording", "_audit"),
    ("app.invoices.recording", "link_new_invoice"),
    ("app.invoices.recording", "enqueue_event"),
]


@contextmanager
def timed_steps(spent: defaultdict[str, float]) -> Iterator[None]:
    """Wraps each of _STEPS so its CPU adds up in `spent`; restored on the way out."""
    import importlib

    originals: list[tuple[Any, str, Callable[..., Any]]] = []
    for module_name, name in _STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        originals.append((module, name, original))
        setattr(module, name, _timing(original, name, spent))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def _timing(
    function: Callable[..., Any], name: str, spent: defaultdict[str, float]
) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started

    return timed


def phases(engine: str, uploads: int, seed: int) -> None:
    from sqlmodel import Session

    from app.audit.service import audit_key
    from app.auth.deps import principal_for_token
    from app.invoices import queries
    from app.invoices.parsing import ParseLimits
    from app.invoices.service import IntakeContext, UploadServices, upload_invoice

    with local_app(engine) as local:
        state, settings, token = local.app.state, local.settings, local.token
        services = UploadServices(
            store=state.store,
            verifier=state.verifier,
            limits=ParseLimits(max_bytes=settings.max_upload_bytes),
        )
        key = audit_key(settings)
        spent: defaultdict[str, float] = defaultdict(float)

        def upload(name: str, data: bytes) -> None:
            started = time.process_time()
            with Session(state.engine, expire_on_commit=False) as session:
                principal = principal_for_token(session, token)
            assert principal is not None
            looked_up = time.process_time()
            with Session(state.engine, expire_on_commit=False) as session:
                ctx = IntakeContext(principal=principal, owner_hint=None, audit_key=key)
                ingested = upload_invoice(session, ctx, services, name, data)
                uploaded = time.process_time()
                queries.ingested_out(session, principal, ingested).model_dump_json()
            spent["token lookup"] += looked_up - started
            spent["upload_invoice"] += uploaded - looked_up
            spent["response body"] += time.process_time() - uploaded

        with timed_steps(spent):
            for name, data in invoices(seed - 1, WARMUP, local.uscc):
                upload(name, data)
            spent.clear()
            for name, data in invoices(seed, uploads, local.uscc):
                upload(name, data)
        total = spent["token lookup"] + spent["upload_invoice"] + spent["response body"]
        print(f"{engine}: {uploads} uploads, {total * 1000 / uploads:.2f} ms CPU per upload")
        for name, seconds in spent.items():
            print(f"  {name:16s} {seconds * 1000 / uploads:5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--uploads", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    for engine in args.engines:
        phases(engine, args.uploads, args.seed)


if __name__ == "__main__":
    main()
