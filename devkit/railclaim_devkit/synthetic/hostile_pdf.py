"""Hostile and broken PDFs: bombs, cycles, encryption, truncation — each cheap to build.

Each builder starts from a real generated invoice or from the same object layout, so the only
thing wrong with the file is the attack it carries.
"""

from __future__ import annotations

import io
import random
import re
import zlib
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter

from railclaim_devkit.synthetic.builder import random_spec
from railclaim_devkit.synthetic.face_layout import layout_face
from railclaim_devkit.synthetic.pdf import (
    DEFAULT_VARIANT,
    add_attachment,
    add_simsun_font,
    content_stream_of,
    page_body,
    render_pdf,
)
from railclaim_devkit.synthetic.pdf_writer import PdfDocument, ref
from railclaim_devkit.synthetic.spec import InvoiceSpec
from railclaim_devkit.synthetic.xbrl import attachment_name

_MIB = 1024 * 1024
_ID_PAIR = re.compile(rb"/ID \[ ?(<[0-9a-fA-F]+>) ?(<[0-9a-fA-F]+>) ?\]")


def sample_spec(seed: int = 2024) -> InvoiceSpec:
    """The well-formed invoice every hostile PDF is made from."""
    return random_spec(random.Random(seed), business_type="sale")


def zeros_deflated(size: int) -> bytes:
    """`size` zero bytes as a zlib (FlateDecode) stream, built in well under a second for 1 GiB.

    Each MiB is compressed alone (a full flush resets the window), so the middle chunks are
    byte-identical and are repeated rather than compressed again.
    """
    compressor = zlib.compressobj(9)
    chunk = bytes(_MIB)
    whole, rest = divmod(size, _MIB)
    parts = []
    if whole:
        first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        middle = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        parts = [first, middle * (whole - 1)] if whole > 1 else [first]
    parts.append(compressor.compress(bytes(rest)))
    parts.append(compressor.flush())
    # The trailer checks the one copy compressed; over zeros Adler-32 is A = 1, B = size mod 65521.
    adler = ((size % 65521) << 16) | 1
    return b"".join(parts)[:-4] + adler.to_bytes(4, "big")


def truncated_pdf(spec: InvoiceSpec | None = None) -> bytes:
    """An invoice cut off halfway through its page content stream: no xref, no trailer."""
    data = render_pdf(spec or sample_spec())
    contents = data.index(b"stream\n", data.index(b"/Filter /FlateDecode"))
    end = data.index(b"endstream", contents)
    return data[: (contents + end) // 2]


def encrypted_pdf(spec: InvoiceSpec | None = None, password: str = "12306") -> bytes:
    """An invoice encrypted with a user password, as a cautious mailbox might save it.

    RC4-128 because pypdf writes it without the optional `cryptography` package.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(spec or sample_spec()))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    # pypdf draws a random second file ID; encryption keys use only the first, so pinning the
    # second to the first keeps the bytes reproducible and the file decryptable.
    return _ID_PAIR.sub(lambda m: b"/ID [ " + m[1] + b" " + m[1] + b" ]", out.getvalue())


def deflate_bomb_pdf(expanded_bytes: int = 256 * _MIB, *, in_attachment: bool = False) -> bytes:
    """An invoice whose page content (or embedded XBRL) inflates to `expanded_bytes` of zeros.

    About 1000:1: a quarter-GiB stream costs ~250 KB on disk and under a second to build.
    """
    spec = sample_spec()
    bomb = zeros_deflated(expanded_bytes)
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc, DEFAULT_VARIANT)
    if in_attachment:
        contents = doc.add_stream(b"", content_stream_of(layout_face(spec)))
        names = doc.reserve()
        stream = doc.add(_raw_flate_stream(b"/Type /EmbeddedFile", bomb))
        filespec = doc.add(
            b"<< /Type /Filespec /F ("
            + attachment_name(spec).encode()
            + b") /EF << /F "
            + ref(stream)
            + b" >> >>"
        )
        tree = doc.add(
            b"<< /Names [(" + attachment_name(spec).encode() + b") " + ref(filespec) + b"] >>"
        )
        doc.put(names, b"<< /EmbeddedFiles " + ref(tree) + b" >>")
        catalog_extra = b" /Names " + ref(names)
    else:
        contents = doc.add(_raw_flate_stream(b"", bomb))
        catalog_extra = b""
    doc.put(page, page_body(pages, font, contents))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + catalog_extra + b" >>")
    return doc.build(catalog)


def page_tree_loop_pdf() -> bytes:
    """A page tree whose /Pages node lists itself among its kids: a walk never ends."""
    return _invoice_with_pages(lambda pages, page: b"[" + ref(page) + b" " + ref(pages) + b"]")


def parent_loop_pdf() -> bytes:
    """Two /Pages nodes that are each other's kid and parent."""
    spec = sample_spec()
    doc = PdfDocument("1.4")
    catalog, outer, inner, page = doc.reserve(), doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc)
    contents = doc.add_stream(b"", content_stream_of(layout_face(spec)))
    doc.put(page, page_body(inner, font, contents))
    doc.put(
        outer,
        b"<< /Type /Pages /Kids [" + ref(inner) + b"] /Count 2 /Parent " + ref(inner) + b" >>",
    )
    doc.put(
        inner,
        b"<< /Type /Pages /Kids ["
        + ref(page)
        + b" "
        + ref(outer)
        + b"] /Count 2 /Parent "
        + ref(outer)
        + b" >>",
    )
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(outer) + b" >>")
    return doc.build(catalog)


def self_reference_pdf() -> bytes:
    """Objects that resolve only to themselves: /Contents -> 8 0 R -> 8 0 R, /Length likewise."""
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc)
    loop = doc.reserve()
    doc.put(loop, ref(loop))
    length_loop = doc.reserve()
    doc.put(length_loop, ref(length_loop))
    doc.put(page, page_body(pages, font, loop))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(
        catalog,
        b"<< /Type /Catalog /Pages "
        + ref(pages)
        + b" /Names << /EmbeddedFiles "
        + ref(length_loop)
        + b" >> >>",
    )
    return doc.build(catalog)


def many_pages_pdf(page_count: int = 6) -> bytes:
    """An invoice page repeated `page_count` times: more pages than any invoice has."""
    return _invoice_with_pages(
        lambda _pages, page: b"[" + b" ".join([ref(page)] * page_count) + b"]"
    )


def xbrl_bomb_pdf(xml: bytes) -> bytes:
    """A real invoice face whose embedded `rai_issuer_*.xml` is the given (hostile) XML."""
    spec = sample_spec()
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc)
    contents = doc.add_stream(b"", content_stream_of(layout_face(spec)))
    doc.put(page, page_body(pages, font, contents))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    names = add_attachment(doc, attachment_name(spec), xml)
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" /Names " + ref(names) + b" >>")
    return doc.build(catalog)


def _invoice_with_pages(kids: Callable[[int, int], bytes]) -> bytes:
    spec = sample_spec()
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc)
    contents = doc.add_stream(b"", content_stream_of(layout_face(spec)))
    doc.put(page, page_body(pages, font, contents))
    kid_array = kids(pages, page)
    count = kid_array.count(b" R")
    doc.put(pages, b"<< /Type /Pages /Kids " + kid_array + f" /Count {count} >>".encode())
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def _raw_flate_stream(entries: bytes, compressed: bytes) -> bytes:
    head = (
        b"<< " + entries + f" /Filter /FlateDecode /Length {len(compressed)} >>\nstream\n".encode()
    )
    return head + compressed + b"\nendstream"


def content_parts_bomb_pdf(parts: int = 12, part_bytes: int = 10 * _MIB - 4096) -> bytes:
    """An invoice face followed by `parts` more content streams, each just under the stream limit.

    Every stream passes a per-stream limit; together they inflate to parts x 10 MiB.
    """
    spec = sample_spec()
    bomb = zeros_deflated(part_bytes)
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc, DEFAULT_VARIANT)
    face = doc.add_stream(b"", content_stream_of(layout_face(spec)))
    streams = [face] + [doc.add(_raw_flate_stream(b"", bomb)) for _ in range(parts)]
    listed = b"[" + b" ".join(ref(number) for number in streams) + b"]"
    doc.put(page, page_body(pages, font, face).replace(ref(face), listed, 1))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def many_attachments_bomb_pdf(count: int = 32, each_bytes: int = 10 * _MIB - 4096) -> bytes:
    """An invoice with `count` embedded files, each inflating to just under the stream limit."""
    spec = sample_spec()
    bomb = zeros_deflated(each_bytes)
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc, DEFAULT_VARIANT)
    contents = doc.add_stream(b"", content_stream_of(layout_face(spec)))
    doc.put(page, page_body(pages, font, contents))
    pairs = []
    for index in range(count):
        stream = doc.add(_raw_flate_stream(b"/Type /EmbeddedFile", bomb))
        name = f"({index}.bin) ".encode()
        embedded = b"/EF << /F " + ref(stream) + b" >> >>"
        filespec = doc.add(b"<< /Type /Filespec /F " + name + embedded)
        pairs.append(name + ref(filespec))
    tree = doc.add(b"<< /Names [" + b" ".join(pairs) + b"] >>")
    names = doc.add(b"<< /EmbeddedFiles " + ref(tree) + b" >>")
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" /Names " + ref(names) + b" >>")
    return doc.build(catalog)


def object_streams_bomb_pdf(streams: int = 40, padding_bytes: int = 10 * _MIB - 4096) -> bytes:
    """A PDF 1.5 whose page fonts each sit in their own object stream padded to ~10 MiB.

    Resolving the page's font dictionaries makes pypdf inflate (and keep) one object stream per
    font: `streams` x 10 MiB, while each stream alone stays inside a per-stream limit.
    """
    spec = sample_spec()
    padding = b" " * padding_bytes
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    in_streams: dict[int, tuple[int, int]] = {}

    def put(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")

    catalog, pages, page, contents = 1, 2, 3, 4
    fonts = list(range(5, 5 + streams))
    first_stream = 5 + streams
    font_entries = b" ".join(f"/F{i + 1} ".encode() + ref(n) for i, n in enumerate(fonts))
    put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    put(
        page,
        b"<< /Type /Page /Parent " + ref(pages) + b" /MediaBox [0 0 595 420] /Contents "
        + ref(contents) + b" /Resources << /Font << " + font_entries + b" >> >> >>",
    )  # fmt: skip
    face = zlib.compress(content_stream_of(layout_face(spec)), 9)
    put(contents, f"<< /Filter /FlateDecode /Length {len(face)} >>\nstream\n".encode() + face
        + b"\nendstream")  # fmt: skip
    for index, font in enumerate(fonts):
        body = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        header = f"{font} 0 ".encode()
        data = zlib.compress(header + body + padding, 9)
        number = first_stream + index
        entries = f"/Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode"
        put(number, f"<< {entries} /Length {len(data)} >>\nstream\n".encode() + data
            + b"\nendstream")  # fmt: skip
        in_streams[font] = (number, 0)
    xref_number = first_stream + streams
    offsets[xref_number] = len(out)
    size = xref_number + 1
    rows = bytearray(b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff")
    for number in range(1, size):
        if number in in_streams:
            stream, index = in_streams[number]
            rows += b"\x02" + stream.to_bytes(4, "big") + index.to_bytes(2, "big")
        else:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    xref = zlib.compress(bytes(rows), 9)
    out += f"{xref_number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R ".encode()
    out += f"/Filter /FlateDecode /Length {len(xref)} >>\nstream\n".encode() + xref
    out += f"\nendstream\nendobj\nstartxref\n{offsets[xref_number]}\n%%EOF\n".encode()
    return bytes(out)


def font_files_bomb_pdf(fonts: int = 40, each_bytes: int = 10 * _MIB - 4096) -> bytes:
    """A page drawing with `fonts` Type1 fonts, each embedding a font file of ~10 MiB of zeros.

    Our reader cannot decode Type1 text, so pypdf's extractor runs, and it inflates (and keeps)
    each font file to read its encoding: fonts x 10 MiB, each alone under a per-stream limit.
    """
    bomb = zeros_deflated(each_bytes)
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    entries, drawing = [], []
    for index in range(fonts):
        font_file = doc.add(_raw_flate_stream(b"/Length1 100", bomb))
        descriptor = doc.add(
            f"<< /Type /FontDescriptor /FontName /Bomb{index} /Flags 32 /FontBBox [0 0 1000 1000]"
            " /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile ".encode()
            + ref(font_file)
            + b" >>"
        )
        font = doc.add(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /Bomb{index} /FontDescriptor ".encode()
            + ref(descriptor)
            + b" >>"
        )
        entries.append(f"/F{index} ".encode() + ref(font))
        drawing.append(f"/F{index} 12 Tf 10 10 Td (a) Tj".encode())
    contents = doc.add_stream(b"", b"BT " + b" ".join(drawing) + b" ET")
    doc.put(
        page,
        b"<< /Type /Page /Parent " + ref(pages) + b" /MediaBox [0 0 595 420] /Contents "
        + ref(contents) + b" /Resources << /Font << " + b" ".join(entries) + b" >> >> >>",
    )  # fmt: skip
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def operand_flood_pdf(size: int = 10 * _MIB - 8192) -> bytes:
    """An invoice page whose content is millions of operands and no operator: nothing to yield,
    so only a tokenizer that checks the clock as it reads stops within the time budget."""
    doc = PdfDocument("1.4")
    catalog, pages, page = doc.reserve(), doc.reserve(), doc.reserve()
    font = add_simsun_font(doc, DEFAULT_VARIANT)
    contents = doc.add_stream(b"", b"BT /F1 12 Tf " + b"1 " * (size // 2) + b" ET")
    doc.put(page, page_body(pages, font, contents))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)


def long_text_run_pdf(letters: int = 40_000) -> bytes:
    """A page of one unbroken run of letters in a standard font, a few hundred bytes: field
    patterns retried at every start of the run took time growing with its square (38 s for
    40,000 letters, the whole server's GIL held)."""
    doc = PdfDocument("1.4")
    catalog, pages, page, font = doc.reserve(), doc.reserve(), doc.reserve(), doc.reserve()
    doc.put(font, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    contents = doc.add_stream(b"", b"BT /F1 1 Tf (" + b"A" * letters + b") Tj ET")
    doc.put(page, page_body(pages, font, contents))
    doc.put(pages, b"<< /Type /Pages /Kids [" + ref(page) + b"] /Count 1 >>")
    doc.put(catalog, b"<< /Type /Catalog /Pages " + ref(pages) + b" >>")
    return doc.build(catalog)
