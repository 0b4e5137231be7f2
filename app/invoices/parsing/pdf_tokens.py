"""A minimal PDF content-stream tokenizer: operands and operators, enough to follow text drawing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# Operand values: numbers, strings (bytes), names (str with "/"), arrays, or None for a dict.
Operand = float | bytes | str | list["Operand"] | None

_DELIMS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"(?P<space>[\x00\t\n\x0c\r ]+|%[^\r\n]*)"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))"
    rb"|(?P<name>/[^" + _DELIMS + rb"]*)"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<hex><[^>]*>)"
    rb"|(?P<lit>\()"
    rb"|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<op>[^" + _DELIMS + rb"]+)"
    rb"|(?P<junk>.)",
    re.DOTALL,
)
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_INLINE_IMAGE_END = re.compile(rb"\sEI(?=[\x00\t\n\x0c\r ]|$)")
_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}
_MAX_NESTING = 64  # arrays/dicts deeper than this are not text drawing; bound the work
_MAX_OPERANDS = 4096  # a TJ array of a long line holds a few hundred; more is junk, so drop it
_TICK_BYTES = 64 * 1024  # an invoice face is one or two of these


def iter_operations(
    data: bytes, tick: Callable[[], None] | None = None
) -> Iterator[tuple[str, list[Operand]]]:
    """Yield `(operator, operands)`; malformed input degrades to skipped tokens, never an error.

    `tick` is called every `_TICK_BYTES` of input: a stream of operands and no operator yields
    nothing for a long time, and the caller's time budget must still be checked.
    """
    operands: list[Operand] = []
    stack: list[list[Operand]] = []  # open arrays/dicts; a dict is a list headed by its marker
    pos, end = 0, len(data)
    next_tick = _TICK_BYTES
    while pos < end:
        if pos >= next_tick and tick is not None:
            tick()
            next_tick = pos + _TICK_BYTES
        match = _TOKEN.match(data, pos)
        assert match is not None  # the `junk` branch matches any byte
        kind, pos = match.lastgroup, match.end()
        value: Operand
        if kind == "space" or kind == "junk":
            continue
        if kind == "num":
            value = float(match[0])
        elif kind == "name":
            value = match[0].decode("latin-1")
        elif kind == "hex":
            value = _decode_hex(match[0][1:-1])
        elif kind == "lit":
            value, pos = _read_literal(data, pos)
        elif kind == "aopen" or kind == "dopen":
            if len(stack) < _MAX_NESTING:
                stack.append([])
            continue
        elif kind == "aclose" or kind == "dclose":
            if not stack:
                continue
            closed = stack.pop()
            value = closed if kind == "aclose" else None
        else:
            operator = match[0].decode("latin-1")
            if stack:  # `true`, `null` and the like inside an array or dict
                continue
            yield operator, operands
            operands = []
            if operator == "ID":
                image_end = _INLINE_IMAGE_END.search(data, pos)
                pos = end if image_end is None else image_end.end()
            continue
        target = stack[-1] if stack else operands
        if len(target) < _MAX_OPERANDS:
            target.append(value)


def _decode_hex(body: bytes) -> bytes:
    digits = _NOT_HEX.sub(b"", body)
    if len(digits) % 2:
        digits += b"0"  # the spec pads an odd final digit with 0
    return bytes.fromhex(digits.decode("ascii"))


def _read_literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """Read a `( … )` string from just after its `(`: balanced parens, escapes (PDF 7.3.4.2)."""
    out = bytearray()
    depth, end = 1, len(data)
    while pos < end:
        byte = data[pos]
        pos += 1
        if byte == 0x5C:  # backslash
            pos = _read_escape(data, pos, out)
        elif byte == 0x28:
            depth += 1
            out.append(byte)
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                break
            out.append(byte)
        else:
            out.append(byte)
    return bytes(out), pos


def _read_escape(data: bytes, pos: int, out: bytearray) -> int:
    if pos >= len(data):
        return pos
    byte = data[pos]
    if byte in _ESCAPES:
        out += _ESCAPES[byte]
        return pos + 1
    if 0x30 <= byte <= 0x37:  # up to three octal digits
        stop = pos
        while stop < min(pos + 3, len(data)) and 0x30 <= data[stop] <= 0x37:
            stop += 1
        out.append(int(data[pos:stop], 8) & 0xFF)
        return stop
    if byte == 0x0D:  # line continuation: backslash + EOL adds nothing
        return pos + 2 if data[pos + 1 : pos + 2] == b"\n" else pos + 1
    if byte == 0x0A:
        return pos + 1
    out.append(byte)  # an unknown escape stands for the character itself
    return pos + 1
