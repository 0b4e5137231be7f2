"""ASGI middleware: request ids, access logs, Prometheus metrics, body size and time limits."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logs import request_id_var
from app.problems import problem_response, slug_for_status

access_log = logging.getLogger("railclaim.access")

REQUESTS = Counter(
    "railclaim_http_requests_total", "HTTP requests served", ["method", "route", "status"]
)
LATENCY = Histogram(
    "railclaim_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestContextMiddleware:
    """Gives every request an id (honouring a sane incoming X-Request-ID), logs and measures it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration = time.perf_counter() - started
            route = _route_template(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(duration)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(duration * 1000, 2),
                },
            )
            request_id_var.reset(token)


class BodyTooLarge(HTTPException):
    """Raised inside receive() when a body outgrows its limit; rendered as a 413 problem.

    It is an HTTPException so that FastAPI's body parsing re-raises it instead of turning it
    into a generic 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes.")


class BodySizeLimitMiddleware:
    """Caps request bodies while they stream in: multipart at the upload limit, others smaller."""

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int, max_other_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_other_bytes = max_other_bytes

    def _limit_for(self, scope: Scope) -> int:
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if content_type.startswith(b"multipart/"):
            # Room for the multipart framing around one maximal file.
            return self.max_upload_bytes + 64 * 1024
        return self.max_other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await _refusing_body(self.app, scope, receive, send, limited_receive, BodyTooLarge)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await _refusal(BodyTooLarge(limit))(scope, receive, send)


async def _refusing_body(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    body: Receive,
    refused: type[HTTPException],
) -> None:
    """Runs `app` reading the request body through `body`. A `refused` raised from it before the
    response started is answered as a problem; once a response is under way it propagates."""
    response_started = False

    async def tracking_send(message: Message) -> None:
        nonlocal response_started
        if message["type"] == "http.response.start":
            response_started = True
        await send(message)

    try:
        await app(scope, body, tracking_send)
    except refused as exc:
        if response_started:
            raise
        await _refusal(exc)(scope, receive, send)


def _refusal(exc: HTTPException) -> Response:
    return problem_response(
        exc.status_code,
        slug_for_status(exc.status_code),
        detail=str(exc.detail),
        headers=dict(exc.headers or {}),
    )


class BodyTimedOut(HTTPException):
    """Raised inside receive() when a body is still arriving at its deadline; rendered as 408.

    An HTTPException, like BodyTooLarge, so FastAPI's body parsing re-raises it."""

    def __init__(self, seconds: float) -> None:
        # The rest of the body may still come: closing keeps it from being read as a request.
        super().__init__(
            408,
            f"The request body did not arrive within {seconds:g} seconds.",
            headers={"Connection": "close"},
        )


class BodyTimeoutMiddleware:
    """A body must arrive in full within `seconds` of the app's first read of it (SPEC).

    Without it, slow uploads (a byte now and then) held a worker's file descriptor and memory
    for as long as the client liked: 300 of them held 325 descriptors for 40 s."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline: float | None = None
        body_done = False

        async def timed_receive() -> Message:
            nonlocal deadline, body_done
            if body_done:  # later reads wait for a disconnect: no deadline there
                return await receive()
            deadline = deadline or loop.time() + self.seconds
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimedOut(self.seconds) from None
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        await _refusing_body(self.app, scope, receive, send, timed_receive, BodyTimedOut)


def metrics_content() -> tuple[bytes, str]:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(), CONTENT_TYPE_LATEST


__all__: list[Any] = [
    "BodySizeLimitMiddleware",
    "BodyTimeoutMiddleware",
    "RequestContextMiddleware",
    "metrics_content",
]
