"""The layout both backends share: a file's address is its SHA-256, fanned out by two levels."""

from __future__ import annotations

import re

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_sha256(sha256: str) -> str:
    """Refuses anything but a lower-case hex digest, so no name can reach outside the layout."""
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return sha256


def relative_key(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def sha256_of_key(relative: str) -> str | None:
    """The digest a stored name holds, or None for anything else found under the root."""
    parts = relative.split("/")
    if len(parts) != 3 or not _SHA256.match(parts[2]):
        return None
    return parts[2] if relative == relative_key(parts[2]) else None
