"""Drawing-order and text quirks real 12306 faces show (DOMAIN §2, §4), applied to laid-out blocks.

Positions never change here, only the order blocks are drawn in and the glyphs they draw: a reader
that follows positions reads the same face.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from railclaim_devkit.synthetic.face_blocks import Piece, TextBlock, text_width

if TYPE_CHECKING:
    from railclaim_devkit.synthetic.face_layout import FaceStyle

SEAL_GLYPHS = "全国统一发票监制"
_SEAL_SIZE = 3.0
# The oval seal's upper arc over the title: centre (mm), radii, and the arc's angles; its lowest
# glyphs stay a full seal glyph above the title's and the invoice number's baselines.
_SEAL_RX, _SEAL_RY, _SEAL_FROM, _SEAL_TO = 22.0, 10.0, 150.0, 30.0
_FULLWIDTH_OFFSET = 0xFEE0  # U+0021..U+007E → U+FF01..U+FF5E
_AMOUNT_ROLES = ("fare_currency", "fare")


def apply_drawing_quirks(blocks: list[TextBlock], style: FaceStyle) -> list[TextBlock]:
    if style.amount_before_label:
        blocks = _amount_before_label(blocks)
    if style.id_after_amount:
        blocks = _id_after_amount(blocks)
    if style.seal_interleaved:
        blocks = interleave_seal(blocks)
    if style.fullwidth_text:
        blocks = [fullwidth_block(block) for block in blocks]
    return blocks


def _amount_before_label(blocks: list[TextBlock]) -> list[TextBlock]:
    """`￥17.50` drawn first, `退票费:` after it."""
    amount = [b for b in blocks if b.role in _AMOUNT_ROLES]
    rest = [b for b in blocks if b.role not in _AMOUNT_ROLES]
    at = next(i for i, b in enumerate(rest) if b.role == "fare_label")
    return rest[:at] + amount + rest[at:]


def _id_after_amount(blocks: list[TextBlock]) -> list[TextBlock]:
    """The passenger's masked ID (and name) drawn right after the amount."""
    passenger = [b for b in blocks if b.role == "passenger"]
    rest = [b for b in blocks if b.role != "passenger"]
    at = max(i for i, b in enumerate(rest) if b.role in _AMOUNT_ROLES) + 1
    return rest[:at] + passenger + rest[at:]


def interleave_seal(blocks: list[TextBlock]) -> list[TextBlock]:
    """The title glyph by glyph, a seal glyph (on its arc above) after each from the sixth on:
    `电子发票（统铁一发路票监电子客票）` in stream order."""
    at = next(i for i, b in enumerate(blocks) if b.role == "title")
    title = blocks[at]
    start = title.pieces[0]
    glyphs, x = [], start.x
    for char in title.text:
        glyphs.append(TextBlock("title", title.size, (Piece(x, start.y, char),)))
        x += text_width(char, title.size)
    centre = (start.x + x) / 2
    seal = [_seal_glyph(i, char, centre, start.y) for i, char in enumerate(SEAL_GLYPHS)]
    drawn = glyphs[:5]
    for index, glyph in enumerate(glyphs[5:]):
        drawn += [seal[index], glyph] if index < len(seal) else [glyph]
    drawn += seal[len(glyphs) - 5 :]
    return blocks[:at] + drawn + blocks[at + 1 :]


def _seal_glyph(index: int, char: str, centre_x: float, title_y: float) -> TextBlock:
    step = (_SEAL_TO - _SEAL_FROM) / (len(SEAL_GLYPHS) - 1)
    angle = math.radians(_SEAL_FROM + index * step)
    x = centre_x + _SEAL_RX * math.cos(angle) - _SEAL_SIZE / 2
    y = title_y - 1.0 - _SEAL_RY * math.sin(angle)
    return TextBlock("seal", _SEAL_SIZE, (Piece(round(x, 2), round(y, 2), char),), red=True)


def fullwidth_block(block: TextBlock) -> TextBlock:
    pieces = tuple(Piece(p.x, p.y, _to_fullwidth(p.text)) for p in block.pieces)
    return TextBlock(block.role, block.size, pieces, block.red)


def _to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + _FULLWIDTH_OFFSET) if "!" <= c <= "~" else c for c in text)
