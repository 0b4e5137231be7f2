"""The delivery worker: sends due webhook deliveries over HTTP and records each outcome.

Safe with several worker processes (see `dispatch` for the lease and ordering rules); time is
a parameter so tests advance a clock instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import urllib.request
from collections.abc import Callable

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine, utcnow
from app.kit.retries import attempt_due
from app.webhooks.backoff import RetryPolicy
from app.webhooks.dispatch import DeliveryJob, Outcome, claim_next, record_outcome
from app.webhooks.receivers import guarded_transport
from app.webhooks.signing import signature_header

logger = logging.getLogger("railclaim.webhooks")

SessionFactory = Callable[[], Session]
DEFAULT_LEASE = dt.timedelta(minutes=5)
_BATCH = 20
_SNIPPET = 200


def deliver_due(
    session_factory: SessionFactory,
    *,
    client: httpx.Client,
    now: dt.datetime | None = None,
    limit: int = 100,
    policy: RetryPolicy | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
) -> int:
    """Sends up to `limit` due deliveries one by one; returns how many were attempted.

    `now` fixes the time of the whole pass (tests); without it each step reads the clock, so a
    lease taken late in a long pass still starts when it is taken.
    """
    policy = policy or RetryPolicy()
    clock: Callable[[], dt.datetime] = (lambda: now) if now is not None else utcnow
    attempts = attempt_due(
        session_factory,
        limit=limit,
        take_next=lambda session: claim_next(session, now=clock(), lease=lease, policy=policy),
        send=lambda job: send_delivery(client, job, timestamp=int(clock().timestamp())),
        record=lambda session, job, outcome: record_outcome(
            session, job, outcome, now=clock(), policy=policy
        ),
    )
    return sum(1 for _ in attempts)


def send_delivery(client: httpx.Client, job: DeliveryJob, *, timestamp: int) -> Outcome:
    """POSTs the signed body; any 2xx counts, redirects and everything else is a failure."""
    headers = {
        "Content-Type": "application/json",
        "Railclaim-Event": job.event_type,
        "Railclaim-Delivery": str(job.delivery_id),
        "Railclaim-Signature": signature_header(job.secret, timestamp, job.body),
    }
    try:
        # Streamed so a receiver's huge or endless answer is never read beyond a snippet.
        with client.stream("POST", job.url, content=job.body, headers=headers) as response:
            if 200 <= response.status_code < 300:
                return Outcome(response.status_code, None)
            return Outcome(response.status_code, _failure(response))
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}".rstrip(": "))


def _failure(response: httpx.Response) -> str:
    snippet = b""
    for chunk in response.iter_bytes():
        snippet += chunk
        if len(snippet) >= _SNIPPET:
            break
    text = snippet[:_SNIPPET].decode("utf-8", errors="replace").strip()
    return f"HTTP {response.status_code}" + (f": {text}" if text else "")


def run_worker(settings: Settings, stop_event: threading.Event) -> None:
    """Delivers until `stop_event` is set, polling when nothing is due."""
    engine = make_engine(settings.database_url)
    logger.info("webhook worker started")
    try:
        with delivery_client(settings.webhook_timeout_seconds) as client:
            while not stop_event.is_set():
                sent = _deliver_safely(engine, client, settings, limit=_BATCH)
                if sent == 0:
                    stop_event.wait(settings.webhook_poll_seconds)
    finally:
        engine.dispose()
        logger.info("webhook worker stopped")


def run_until_signalled(settings: Settings) -> None:
    """`railclaim worker`: SIGINT or SIGTERM finish the delivery in hand, then stop."""
    stop_event = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: stop_event.set())
    run_worker(settings, stop_event)


def run_once(settings: Settings, *, limit: int = 10_000) -> int:
    """`railclaim worker --once`: one pass over what is due now (cron, tests); returns attempts."""
    engine = make_engine(settings.database_url)
    try:
        with delivery_client(settings.webhook_timeout_seconds) as client:
            return _deliver_pass(engine, client, settings, limit=limit)
    finally:
        engine.dispose()


def delivery_client(timeout_seconds: float, *, use_env_proxy: bool = True) -> httpx.Client:
    """The client deliveries go out on, following no redirects.

    Every direct connection goes through the receiver guard (app/webhooks/receivers.py). A
    proxy named in the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, and `use_env_proxy`)
    carries the deliveries of its scheme, and is then what must refuse internal addresses
    (docs/SECURITY.md); a scheme without one, and hosts in `NO_PROXY`, still connect guarded."""
    mounts: dict[str, httpx.BaseTransport | None] = {}
    proxies = urllib.request.getproxies() if use_env_proxy else {}
    bypassed = [h.strip() for h in proxies.get("no", "").split(",") if h.strip()]
    if "*" not in bypassed:
        for scheme in ("all", "http", "https"):
            if proxies.get(scheme):
                mounts[f"{scheme}://"] = httpx.HTTPTransport(proxy=proxies[scheme])
        # NO_PROXY names hosts and suffixes (".example.com"); their deliveries connect guarded.
        # (A network in it, "10.0.0.0/8", is no host pattern: those go through the proxy.)
        for host in (h for h in bypassed if "/" not in h):
            mounts[f"all://*{host}" if host.startswith(".") else f"all://{host}"] = (
                guarded_transport()
            )
    return httpx.Client(
        timeout=timeout_seconds,
        follow_redirects=False,
        transport=guarded_transport(),
        mounts=mounts,
        trust_env=False,  # the mounts above are the environment's proxies, read once
    )


def _lease(settings: Settings) -> dt.timedelta:
    # httpx timeouts apply per phase (connect, write, read, pool), so allow for all of them.
    return max(DEFAULT_LEASE, dt.timedelta(seconds=4 * settings.webhook_timeout_seconds + 60))


def _deliver_pass(engine: Engine, client: httpx.Client, settings: Settings, *, limit: int) -> int:
    """`deliver_due` with the installation's retry policy and lease."""
    return deliver_due(
        lambda: Session(engine, expire_on_commit=False),
        client=client,
        limit=limit,
        policy=RetryPolicy.from_settings(settings),
        lease=_lease(settings),
    )


def _deliver_safely(engine: Engine, client: httpx.Client, settings: Settings, *, limit: int) -> int:
    try:
        return _deliver_pass(engine, client, settings, limit=limit)
    except SQLAlchemyError:
        # The database may be restarting; leases make a retry after the pause safe.
        logger.exception("webhook delivery pass failed")
        return 0
