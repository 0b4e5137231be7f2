"""The drawing units of a face: pieces of text at positions, grouped into blocks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Piece:
    """Text drawn at one position (millimetres from the top-left corner; `y` is the baseline)."""

    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One drawing unit (a PDF BT…ET block): one or more pieces in one font size, drawn in order."""

    role: str
    size: float
    pieces: tuple[Piece, ...]
    # Markers (退票, 差额退票, 始发改签) print in red (RGB 1,0,0) on the fare line, like the seal.
    red: bool = False

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


def text_width(text: str, size: float) -> float:
    """Advance of `text` in SimSun: ASCII is half an em, everything else a full em."""
    return sum(size * (0.5 if ord(c) < 128 else 1.0) for c in text)
