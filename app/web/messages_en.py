"""English texts of the interface, keyed by the Chinese source text used in templates and code."""

from __future__ import annotations

EN: dict[str, str] = {}
