"""The HTTP provider: asks a tax-platform style 查验 endpoint and compares its answer.

Contract (what a platform, or a gateway in front of one, must offer):

    POST {base_url}/verify
    Content-Type: application/json
    Authorization: Bearer <token>            (only when a token is configured)
    {"fphm": "25119199999000000001", "kprq": "20250320", "jshj": "553.00"}

`fphm` is the 20-digit invoice number, `kprq` the issue date as YYYYMMDD, `jshj` the total
including tax with two decimals (negative for a red-letter invoice).

- 200: the 查验 answer, a JSON object shaped like ../shared/samples/chayan_tdys_SYNTHETIC.json
  (header fphm, kprq, gmfmc, gmfnsrsbh, jshj, hjje, hjse, sflzfpbz, kjhzfpdydlzfphm and the
  railway elements under `tdys`), optionally wrapped as {"data": {...}}. Compared field by field:
  `verified` when nothing disagrees, else `mismatch` naming the fields.
- 404: the platform has no such invoice, a forgery signal: `mismatch` on `invoice_number`.
- 429, 5xx, connect errors, timeouts, dropped connections: retried `retries` times with
  exponential backoff (0.2 s, 0.4 s, 0.8 s…), then `failed`.
- any other status, a body that is not JSON or not the 查验 shape, or a body over 1 MiB: `failed`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app.invoices.parsing import ParsedInvoice
from app.invoices.verification.answer import redact_answer, unwrap_answer
from app.invoices.verification.compare import compare_answer
from app.invoices.verification.normalize import MalformedAnswer
from app.invoices.verification.provider import VerificationResult, VerificationStatus, utc_now

MAX_ANSWER_BYTES = 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Verification is a read, so repeating a request whose answer was lost is harmless.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class PlatformUnavailable(Exception):
    """The platform could not give a usable answer; becomes a `failed` result."""


@dataclass(frozen=True, slots=True)
class _Reply:
    status_code: int
    content: bytes


def verify_request(invoice: ParsedInvoice) -> dict[str, str]:
    """The JSON body of POST /verify for one invoice (its issue date must be known)."""
    if invoice.issue_date is None:
        raise ValueError("an invoice without an issue date cannot be verified")
    return {
        "fphm": invoice.invoice_number,
        "kprq": invoice.issue_date.strftime("%Y%m%d"),
        "jshj": f"{invoice.total:.2f}",
    }


class HttpProvider:
    """A 查验 provider over HTTP; thread-safe, so one instance serves the whole process."""

    name = "http"

    def __init__(
        self,
        base_url: str,
        timeout_seconds: float,
        retries: int,
        token: str | None = None,
        client: httpx.Client | None = None,
        *,
        backoff_seconds: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        _check_config(base_url, timeout_seconds, retries)
        self._url = base_url.rstrip("/") + "/verify"
        self._timeout = httpx.Timeout(timeout_seconds)
        self._retries = retries
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=self._timeout)
        self._backoff = backoff_seconds
        self._sleep = sleep
        self._clock = clock

    def close(self) -> None:
        """Release the connection pool, unless the caller lent us its client."""
        if self._owns_client:
            self._client.close()

    def verify(self, invoice: ParsedInvoice) -> VerificationResult:
        if invoice.issue_date is None:
            return self._result("unverified", "查验 needs the issue date, which was not read.")
        try:
            reply = self._ask(verify_request(invoice))
            return self._judge(reply, invoice)
        except (PlatformUnavailable, MalformedAnswer) as exc:
            return self._result("failed", f"查验 failed: {exc}")

    def _ask(self, body: dict[str, str]) -> _Reply:
        attempts = self._retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                self._sleep(self._backoff * 2 ** (attempt - 1))
            try:
                reply = self._post(body)
            except RETRYABLE_ERRORS as exc:
                problem = f"platform unreachable ({type(exc).__name__})"
                continue
            except httpx.HTTPError as exc:
                raise PlatformUnavailable(f"request failed ({type(exc).__name__})") from exc
            if reply.status_code not in RETRY_STATUSES:
                return reply
            problem = f"platform answered HTTP {reply.status_code}"
        raise PlatformUnavailable(f"{problem} after {attempts} attempt(s)")

    def _post(self, body: dict[str, str]) -> _Reply:
        with self._client.stream(
            "POST", self._url, json=body, headers=self._headers, timeout=self._timeout
        ) as response:
            content = bytearray()
            for chunk in response.iter_bytes():
                content += chunk
                if len(content) > MAX_ANSWER_BYTES:
                    raise PlatformUnavailable("the answer is larger than 1 MiB")
            return _Reply(response.status_code, bytes(content))

    def _judge(self, reply: _Reply, invoice: ParsedInvoice) -> VerificationResult:
        if reply.status_code == 404:
            message = f"The tax platform has no record of invoice {invoice.invoice_number}."
            return self._result("mismatch", message, mismatches=("invoice_number",))
        if not 200 <= reply.status_code < 300:
            raise PlatformUnavailable(f"platform refused the request with HTTP {reply.status_code}")
        answer = unwrap_answer(_json_of(reply.content))
        mismatches = compare_answer(answer, invoice)
        raw = redact_answer(answer)
        if mismatches:
            message = "The tax platform disagrees on: " + ", ".join(mismatches) + "."
            return self._result("mismatch", message, mismatches=mismatches, raw=raw)
        return self._result("verified", "The tax platform confirms the invoice.", raw=raw)

    def _result(
        self,
        status: VerificationStatus,
        message: str,
        *,
        mismatches: tuple[str, ...] = (),
        raw: dict[str, object] | None = None,
    ) -> VerificationResult:
        return VerificationResult(
            status=status,
            provider=self.name,
            checked_at=self._clock(),
            message=message,
            mismatches=mismatches,
            raw=raw,
        )


def _json_of(content: bytes) -> object:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MalformedAnswer("the answer is not valid JSON") from None


def _check_config(base_url: str, timeout_seconds: float, retries: int) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"verification URL must be an absolute http(s) URL, got {base_url!r}")
    if timeout_seconds <= 0:
        raise ValueError("verification timeout must be positive")
    if retries < 0:
        raise ValueError("verification retries must not be negative")
