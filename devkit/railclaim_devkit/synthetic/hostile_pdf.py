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
    """`size` zero bytes, Flate-compressed in chunks so memory stays at one MiB."""
    compressor = zlib.compressobj(9)
    chunk = bytes(_MIB)
    parts = [compressor.compress(chunk) for _ in range(size // _MIB)]
    parts.append(compressor.compress(bytes(size % _MIB)))
    parts.append(compressor.flush())
    return b"".join(parts)


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
