"""Byte-to-text decoding for the predefined Chinese CMaps that 12306 faces use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FontCodec:
    """How a font's string bytes become text; `name` is the predefined CMap it stands for."""

    name: str
    decode: Callable[[bytes], str]


def _gbk(data: bytes) -> str:
    # GBK-EUC-H: 0x00-0x80 are one byte, 0x81-0xFE lead a two-byte code; exactly GBK's framing,
    # so decoding the whole string at once equals decoding code by code.
    return data.decode("gbk", errors="replace")


def _gb18030(data: bytes) -> str:
    return data.decode("gb18030", errors="replace")


def _ucs2(data: bytes) -> str:
    # UniGB-UCS2-H / UniGB-UTF16-H: big-endian two-byte units; an odd trailing byte is damage.
    return data[: len(data) & ~1].decode("utf-16-be", errors="replace")


# Predefined CMaps (Adobe-GB1) whose codes are plain GBK or UTF-16 code units: files from
# 12306 use GBK-EUC-H, those converted from OFD UniGB-UCS2-H; the rest are close relatives.
CODECS: dict[str, FontCodec] = {
    name: FontCodec(name, decode)
    for name, decode in (
        ("GBK-EUC-H", _gbk),
        ("GBKp-EUC-H", _gbk),
        ("GB-EUC-H", _gbk),
        ("GBpc-EUC-H", _gbk),
        ("GBK2K-H", _gb18030),
        ("UniGB-UCS2-H", _ucs2),
        ("UniGB-UTF16-H", _ucs2),
    )
}


def codec_for_encoding(encoding: str | None) -> FontCodec | None:
    """The codec for a Type0 font's `/Encoding` name (with or without the leading slash)."""
    if not encoding:
        return None
    return CODECS.get(encoding.lstrip("/"))
