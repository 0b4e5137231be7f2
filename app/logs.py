"""Structured JSON logging with a per-request id, and a filter that keeps secrets out of logs."""

from __future__ import annotations

import copy
import logging
import re
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Anything shaped like a Chinese ID number (masked or not), a bearer token or a password field.
_REDACTIONS = [
    (re.compile(r"\b\d{6}(?:\d{4}|\*{4})\d{4}\*{0,4}\d{0,3}[\dXx*]?\b"), "[id-redacted]"),
    (re.compile(r"\d{10}\*{4}\d{3}[\dXx]"), "[id-redacted]"),
    (re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [redacted]"),
    (re.compile(r"(?i)(password|secret|token)=([^&\s\"]+)"), r"\1=[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Adds the request id and scrubs ID numbers and credentials from every message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


# Attributes every LogRecord has; anything else came in through `extra=` (path, method, ...).
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_TRACEBACKS = logging.Formatter()


def redacted(record: logging.LogRecord) -> logging.LogRecord:
    """A copy of `record` with every part scrubbed: the message with its arguments rendered
    (URLs, SQL parameters), `extra` fields such as the request path, and the traceback, whose
    exception message may quote a row's values. The original stays intact for other handlers."""
    clean = copy.copy(record)
    if isinstance(record.msg, str):
        clean.msg, clean.args = redact(record.getMessage()), None
    for name, value in vars(record).items():
        if name not in _STANDARD_ATTRIBUTES and isinstance(value, str):
            setattr(clean, name, redact(value))
    if record.exc_info:
        clean.exc_text = redact(_TRACEBACKS.formatException(record.exc_info))
        clean.exc_info = None
    if record.stack_info:
        clean.stack_info = redact(record.stack_info)
    return clean


class RedactingJsonFormatter(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(redacted(record))


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(redacted(record))


def configure_logging(level: str, *, as_json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if as_json:
        handler.setFormatter(
            RedactingJsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # uvicorn's own access log would duplicate ours without the request id; ours replaces it.
    logging.getLogger("uvicorn.access").disabled = True
