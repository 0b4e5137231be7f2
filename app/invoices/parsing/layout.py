"""Placed text runs grouped into reading-order lines (a 12306 face draws out of reading order)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextRun:
    """Text of text drawn at one place; `y` grows downwards (reading order), `end_x` estimated."""

    x: float
    y: float
    text: str
    size: float
    end_x: float


@dataclass(frozen=True, slots=True)
class TextLine:
    """Runs sharing a baseline, left to right."""

    y: float
    runs: tuple[TextRun, ...]

    @property
    def text(self) -> str:
        return join_runs(self.runs)


def normalize(text: str) -> str:
    """NFKC, so full-width digits, colons and `￥` read like their ASCII forms (DOMAIN §2)."""
    return unicodedata.normalize("NFKC", text)


def advance_em(text: str) -> float:
    """Estimated advance in em: CJK faces draw ASCII half-width and everything else full-width."""
    narrow = sum(1 for char in text if char < "\x80")
    return len(text) - 0.5 * narrow


def group_lines(runs: list[TextRun]) -> list[TextLine]:
    """Group runs whose baselines lie within half a glyph of each other, then sort each by x."""
    lines: list[list[TextRun]] = []
    line_ys: list[float] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - line_ys[-1]) <= max(run.size, 1e-6) * 0.5:
            lines[-1].append(run)
        else:
            lines.append([run])
            line_ys.append(run.y)
    return [
        TextLine(y=y, runs=tuple(sorted(group, key=lambda r: r.x)))
        for y, group in zip(line_ys, lines, strict=True)
    ]


def join_runs(runs: tuple[TextRun, ...]) -> str:
    """Concatenate runs, with a space only where a visible gap separates them.

    Glyphs drawn one by one must join into one word (`2`,`0`,`2`,`5` → `2025`); pieces apart on
    the page must not (`北京南` … `站` … `G1`).
    """
    parts: list[str] = []
    previous: TextRun | None = None
    for run in runs:
        if previous is not None and run.x - previous.end_x > 0.3 * max(run.size, 1e-6):
            parts.append(" ")
        parts.append(run.text)
        previous = run
    return "".join(parts)


def page_text(lines: list[TextLine]) -> str:
    return "\n".join(line.text for line in lines)


def char_xs(line: TextLine) -> list[float]:
    """The estimated x of each character of `line.text` (a joining space takes the gap's start)."""
    xs: list[float] = []
    previous: TextRun | None = None
    for run in line.runs:
        if previous is not None and run.x - previous.end_x > 0.3 * max(run.size, 1e-6):
            xs.append(previous.end_x)
        # Spread the run's estimated width over its characters by their em advances.
        scale = (run.end_x - run.x) / max(advance_em(run.text), 1e-6)
        offset = 0.0
        for char in run.text:
            xs.append(run.x + offset * scale)
            offset += advance_em(char)
        previous = run
    return xs
