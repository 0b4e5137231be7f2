"""File names as stored and shown: the last path part, without control or bidi-override characters.

A right-to-left override (U+202E) makes `invoice\u202efdp.exe` display as `invoiceexe.pdf`; the
bidi embeddings, isolates and marks do the same more quietly, and Cc controls break headers and
logs. They carry nothing a file name needs, so they are dropped rather than refused.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
MAX_FILENAME_CHARS = 255


def clean_filename(name: str, fallback: str) -> str:
    """`name` without folders, controls or bidi controls; `fallback` when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return without_hidden_controls(base).strip()[:MAX_FILENAME_CHARS] or fallback


def without_hidden_controls(text: str) -> str:
    """`text` (a name echoed back, folders and all) minus controls and bidi controls."""
    return "".join(char for char in text if not _is_hidden_control(char))


def _is_hidden_control(char: str) -> bool:
    # Cs: a lone surrogate cannot be stored as UTF-8 either.
    return char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs")


def content_disposition(disposition: str, filename: str, fallback: str) -> str:
    """An RFC 6266 header value whose UTF-8 name is cleaned even if stored before cleaning was."""
    return f"{disposition}; filename*=UTF-8''{quote(clean_filename(filename, fallback))}"
