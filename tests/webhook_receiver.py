"""A webhook receiver on loopback for tests: records every request and answers as told."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


class Receiver:
    """Bound at construction; refuses connections (bound, not listening) until `start()`.

    `answer(request) -> status` decides each response; set `status` for a fixed answer.
    """

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 200
        self.answer: Callable[[Received], int] = lambda _request: self.status
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(
            ("127.0.0.1", 0), self._handler_class(), bind_and_activate=False
        )
        self._server.daemon_threads = True
        self._server.server_bind()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def start(self) -> None:
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.requests)

    def _record(self, request: Received) -> int:
        with self._lock:
            self.requests.append(request)
        return self.answer(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
                status = receiver._record(request)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        return Handler
