"""Placed text runs from a page content stream, decoded via the Chinese CMaps, without pypdf.

pypdf's `extract_text()` costs ~5 ms a page; a railway face needs only the text operators, so this
follows the text and graphics state just far enough to know where each string lands, into the
form XObjects the page draws (a face converted from OFD keeps its template there).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from app.invoices.parsing.budget import Deadline
from app.invoices.parsing.layout import TextRun, advance_em, normalize
from app.invoices.parsing.pdf_fonts import FontCodec
from app.invoices.parsing.pdf_tokens import Operand, iter_operations

Matrix = tuple[float, float, float, float, float, float]
_Handler = Callable[["_TextState", list[Operand]], None]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_SAVED_STATES = 256
_SPLIT_ADJUSTMENT = 300  # a TJ kerning beyond 0.3 em is a visible gap: start a new run there
# A face draws a template or two; a page drawing forms more often, or nested deeper, is no face
# (and a form that draws itself must not run forever).
MAX_FORM_CALLS = 64
MAX_FORM_DEPTH = 3


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention (apply m, then n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


@dataclass(frozen=True, slots=True)
class FormXObject:
    """A form XObject as drawn by `Do`: its content, its matrix, its fonts and its own forms."""

    content: bytes
    matrix: Matrix
    fonts: dict[str, FontCodec | None]
    forms: dict[str, FormXObject]


@dataclass(slots=True)
class FaceReading:
    """The runs read from a page, and whether some text used a font this reader cannot decode."""

    runs: list[TextRun] = field(default_factory=list)
    undecodable_text: bool = False


@dataclass(slots=True)
class _TextState:
    fonts: dict[str, FontCodec | None]
    deadline: Deadline
    forms: dict[str, FormXObject] = field(default_factory=dict)
    form_calls: int = 0
    depth: int = 0
    ctm: Matrix = IDENTITY
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY
    codec: FontCodec | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    saved: list[Matrix] = field(default_factory=list)
    reading: FaceReading = field(default_factory=FaceReading)

    def next_line(self, tx: float, ty: float) -> None:
        self.tlm = multiply((1.0, 0.0, 0.0, 1.0, tx, ty), self.tlm)
        self.tm = self.tlm

    def show(self, data: bytes, kerning: float = 0.0) -> None:
        if self.codec is None:
            self.reading.undecodable_text = self.reading.undecodable_text or bool(data)
            return
        self._place(self.codec.decode(data), kerning)

    def show_array(self, items: list[Operand]) -> None:
        # Kerning inside a word stays in one run; a wide adjustment separates two pieces of text.
        pending, kerning = b"", 0.0
        for item in items:
            if isinstance(item, bytes):
                pending += item
            elif isinstance(item, float):
                shift = -item / 1000 * self.size * self.scale
                if abs(item) < _SPLIT_ADJUSTMENT:
                    kerning += shift
                    continue
                self.show(pending, kerning)
                pending, kerning = b"", 0.0
                self._advance(shift)
        self.show(pending, kerning)

    def _place(self, drawn: str, kerning: float) -> None:
        if not drawn:
            self._advance(kerning)
            return
        # The advance follows the glyphs drawn (full-width `２０２５` is twice `2025`); the text
        # kept is NFKC, so both widths read alike.
        spaces = drawn.count(" ")
        width = advance_em(drawn) * self.size + self.char_spacing * len(drawn)
        width = (width + self.word_spacing * spaces) * self.scale + kerning
        text = normalize(drawn)
        m = multiply(self.tm, self.ctm)
        x, y = m[4], m[5]
        if text.strip():
            size = abs(self.size) * math.hypot(m[2], m[3])
            end_x = x + width * math.hypot(m[0], m[1])
            # PDF y grows upwards; runs keep reading order (downwards) as in an OFD.
            self.reading.runs.append(TextRun(x=x, y=-y, text=text, size=size, end_x=end_x))
        self._advance(width)

    def _advance(self, tx: float) -> None:
        a, b, c, d, e, f = self.tm
        self.tm = (a, b, c, d, e + tx * a, f + tx * b)


def read_face(
    content: bytes,
    fonts: dict[str, FontCodec | None],
    deadline: Deadline,
    forms: dict[str, FormXObject] | None = None,
) -> FaceReading:
    """Follow a content stream's text operators and return every string with its page position."""
    state = _TextState(fonts=fonts, deadline=deadline, forms=forms or {})
    _run(state, content)
    return state.reading


def _run(state: _TextState, content: bytes) -> None:
    deadline = state.deadline
    for count, (operator, operands) in enumerate(iter_operations(content, deadline.check)):
        if count & 0xFFF == 0:
            deadline.check()
        handler = _HANDLERS.get(operator)
        if handler is not None:
            handler(state, operands)


def _numbers(operands: list[Operand], count: int) -> list[float] | None:
    """The last `count` operands when they are all numbers (PDF puts operands before operators)."""
    tail = operands[-count:]
    if len(tail) != count or not all(isinstance(v, float) for v in tail):
        return None
    return [v for v in tail if isinstance(v, float)]


def _begin_text(state: _TextState, _operands: list[Operand]) -> None:
    state.tm = state.tlm = IDENTITY


def _set_font(state: _TextState, operands: list[Operand]) -> None:
    if len(operands) >= 2 and isinstance(operands[-2], str) and isinstance(operands[-1], float):
        state.codec = state.fonts.get(operands[-2].lstrip("/"))
        state.size = operands[-1]


def _set_matrix(state: _TextState, operands: list[Operand]) -> None:
    values = _numbers(operands, 6)
    if values is not None:
        state.tm = state.tlm = (values[0], values[1], values[2], values[3], values[4], values[5])


def _move(state: _TextState, operands: list[Operand]) -> None:
    values = _numbers(operands, 2)
    if values is not None:
        state.next_line(values[0], values[1])


def _move_set_leading(state: _TextState, operands: list[Operand]) -> None:
    values = _numbers(operands, 2)
    if values is not None:
        state.leading = -values[1]
        state.next_line(values[0], values[1])


def _next_line(state: _TextState, _operands: list[Operand]) -> None:
    state.next_line(0.0, -state.leading)


def _show(state: _TextState, operands: list[Operand]) -> None:
    if operands and isinstance(operands[-1], bytes):
        state.show(operands[-1])


def _show_array(state: _TextState, operands: list[Operand]) -> None:
    if operands and isinstance(operands[-1], list):
        state.show_array(operands[-1])


def _next_line_show(state: _TextState, operands: list[Operand]) -> None:
    _next_line(state, operands)
    _show(state, operands)


def _spacing_next_line_show(state: _TextState, operands: list[Operand]) -> None:
    values = _numbers(operands[:-1], 2)
    if values is not None:
        state.word_spacing, state.char_spacing = values
    _next_line_show(state, operands)


def _scalar_setter(name: str, factor: float = 1.0) -> _Handler:
    def set_scalar(state: _TextState, operands: list[Operand]) -> None:
        values = _numbers(operands, 1)
        if values is not None:
            setattr(state, name, values[0] * factor)

    return set_scalar


def _concat(state: _TextState, operands: list[Operand]) -> None:
    values = _numbers(operands, 6)
    if values is not None:
        matrix = (values[0], values[1], values[2], values[3], values[4], values[5])
        state.ctm = multiply(matrix, state.ctm)


def _save(state: _TextState, _operands: list[Operand]) -> None:
    if len(state.saved) < _MAX_SAVED_STATES:
        state.saved.append(state.ctm)


def _restore(state: _TextState, _operands: list[Operand]) -> None:
    if state.saved:
        state.ctm = state.saved.pop()


def _draw_form(state: _TextState, operands: list[Operand]) -> None:
    """`Do`: a form XObject's content drawn through its matrix with its own resources; the
    graphics and text state come back as they were (images and unknown names draw no text)."""
    name = operands[-1] if operands and isinstance(operands[-1], str) else None
    form = state.forms.get(name.lstrip("/")) if name else None
    if form is None or state.form_calls >= MAX_FORM_CALLS or state.depth >= MAX_FORM_DEPTH:
        return
    state.form_calls += 1
    kept = (state.ctm, state.tm, state.tlm, state.fonts, state.forms, state.codec, state.size)
    saved_depth = len(state.saved)
    state.ctm = multiply(form.matrix, state.ctm)
    state.fonts, state.forms = form.fonts, form.forms
    state.depth += 1
    try:
        _run(state, form.content)
    finally:
        state.depth -= 1
        del state.saved[saved_depth:]
        state.ctm, state.tm, state.tlm, state.fonts, state.forms, state.codec, state.size = kept


_HANDLERS: dict[str, _Handler] = {
    "BT": _begin_text,
    "Tf": _set_font,
    "Tm": _set_matrix,
    "Td": _move,
    "TD": _move_set_leading,
    "T*": _next_line,
    "Tj": _show,
    "TJ": _show_array,
    "'": _next_line_show,
    '"': _spacing_next_line_show,
    "Tc": _scalar_setter("char_spacing"),
    "Tw": _scalar_setter("word_spacing"),
    "Tz": _scalar_setter("scale", 0.01),
    "TL": _scalar_setter("leading"),
    "cm": _concat,
    "q": _save,
    "Q": _restore,
    "Do": _draw_form,
}
