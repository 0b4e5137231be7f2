"""A minimal PDF object writer: numbered objects, Flate streams, a classic xref table and trailer.

Written by hand rather than through pypdf's writer so every byte is under control: 12306's font
dictionaries, object order, and deliberately broken structures for the hostile set.
"""

from __future__ import annotations

import hashlib
import zlib


def pdf_name(name: str) -> bytes:
    return b"/" + name.encode("ascii")


def pdf_literal(text: str) -> bytes:
    """A literal string of ASCII text, with the three characters that need it escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("ascii") + b")"


def pdf_text_string(text: str) -> bytes:
    """A text string for names and titles: ASCII as a literal, anything else as UTF-16BE hex."""
    if text.isascii():
        return pdf_literal(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PdfDocument:
    """Objects added in order get numbers 1, 2, …; `build` lays them out with an xref table."""

    def __init__(self, version: str = "1.4") -> None:
        self.version = version
        self._bodies: list[bytes | None] = []

    def reserve(self) -> int:
        """A number for an object whose body refers to objects not written yet."""
        self._bodies.append(None)
        return len(self._bodies)

    def put(self, number: int, body: bytes) -> int:
        self._bodies[number - 1] = body
        return number

    def add(self, body: bytes) -> int:
        self._bodies.append(body)
        return len(self._bodies)

    def add_stream(self, entries: bytes, data: bytes, *, compress: bool = True) -> int:
        """A stream object; Flate-compressed like real 12306 files unless `compress` is off."""
        return self.add(stream_body(entries, data, compress=compress))

    def build(self, root: int, info: int | None = None) -> bytes:
        # The binary comment line tells transfer tools the file is not text, as real writers do.
        out = bytearray(f"%PDF-{self.version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1"))
        offsets = []
        for number, body in enumerate(self._bodies, start=1):
            if body is None:
                raise ValueError(f"object {number} was reserved but never written")
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref_at = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        # A deterministic file ID: the same content always yields the same bytes.
        file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper()
        trailer = f"<< /Size {len(offsets) + 1} /Root {root} 0 R"
        if info is not None:
            trailer += f" /Info {info} 0 R"
        trailer += f" /ID [<{file_id}> <{file_id}>] >>"
        out += f"trailer\n{trailer}\nstartxref\n{xref_at}\n%%EOF\n".encode()
        return bytes(out)


def stream_body(entries: bytes, data: bytes, *, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        entries += b" /Filter /FlateDecode"
    head = b"<< " + entries + f" /Length {len(data)} >>\nstream\n".encode()
    return head + data + b"\nendstream"


def ref(number: int) -> bytes:
    return f"{number} 0 R".encode()
