"""A fake 查验 platform served for real on loopback, for the HTTP provider's tests.

`POST /verify` answers from `answers` (keyed by fphm; unknown numbers get 404) unless replies were
queued in `script`, which are served first, one per request. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Upper bound on how long a held reply waits for release; the fixture releases far sooner.
HOLD_LIMIT_SECONDS = 10.0


@dataclass(frozen=True)
class Reply:
    """A scripted answer; `hold` keeps the client waiting until the platform is released."""

    status: int = 200
    body: bytes = b""
    hold: bool = False

    @classmethod
    def of_json(cls, status: int, payload: Any) -> Reply:
        return cls(status, json.dumps(payload, ensure_ascii=False).encode())


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakePlatform:
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: deque[Reply] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reply_to(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            if self.script:
                return self.script.popleft()
        number = request.body.get("fphm") if isinstance(request.body, dict) else None
        if request.path != "/verify" or number not in self.answers:
            return Reply.of_json(404, {"message": "查无此票"})
        return Reply.of_json(200, self.answers[number])


class _Server(ThreadingHTTPServer):
    platform: FakePlatform

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out has gone away; writing to it fails, which is expected


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = None
        request = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        reply = self.server.platform.reply_to(request)
        if reply.hold:
            self.server.platform.released.wait(HOLD_LIMIT_SECONDS)
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class ServedPlatform:
    """A server bound to 127.0.0.1 on an ephemeral port: listening before its thread starts.

    One server serves the whole session; each test installs a fresh `FakePlatform` behind it.
    """

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.platform = FakePlatform()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def platform(self) -> FakePlatform:
        return self._server.platform

    def install(self, platform: FakePlatform) -> None:
        self._server.platform.released.set()
        self._server.platform = platform

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.platform.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
