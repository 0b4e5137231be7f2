"""Webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under a secret.

Pure functions, shared by the worker (signing) and by receivers' tests (verifying).
"""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature_header(
    secret: str, header: str, body: bytes, *, now: int, tolerance_seconds: int = 300
) -> bool:
    """True when `header` signs `body` under `secret` within `tolerance_seconds` of `now`.

    The timestamp is inside the MAC, so a captured request cannot be replayed later.
    """
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    stamps = fields.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body)
    # Several v1 values may appear while a receiver rotates its secret.
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))
