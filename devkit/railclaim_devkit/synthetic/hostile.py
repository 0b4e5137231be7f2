"""The hostile corpus: files that must each end in one typed refusal, fast and in bounded memory.

Expected codes (the `ParseError.code` a parser raises), and why:
- `unreadable-file`: empty input; a truncated PDF; PDF reference loops; XML with entity expansion
  (billion laughs) or an external entity, standalone or embedded in a PDF or OFD; an OFD without
  its Document.xml; ZIPs with `..`/absolute member names (refused whole); a ZIP in a ZIP.
- `encrypted-file`: a password-protected PDF; a ZIP whose member is flagged encrypted.
- `too-large`: over the 20 MB default size; a PDF stream that inflates past the stream limit
  (deflate bomb, in the page or the attachment); a ZIP bomb (ratio ~1000:1, 256 MiB declared);
  a ZIP whose member declares 4 KiB but inflates to 1 GiB (its headers lie, so only a bounded
  inflate sees it), as a bundle and as an OFD part; more ZIP members than allowed; more PDF pages
  than an invoice has.
- `unsupported-format`: bytes of no known kind (random noise, a PNG): detection is by content.
- `not-a-travel-invoice`: readable documents that are neither railway invoices nor air
  e-itineraries — a plain PDF, an ordinary 数电票 (PDF and XML), a DOCX-like ZIP of XML parts (its
  XML members hold no `rai` data).
Big files are built on first use and cached; none costs more than about a second.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from railclaim_devkit.synthetic import hostile_pdf
from railclaim_devkit.synthetic.bundle import bundle_members
from railclaim_devkit.synthetic.ofd import render_ofd
from railclaim_devkit.synthetic.vat import (
    render_plain_pdf,
    render_vat_invoice_pdf,
    render_vat_invoice_xml,
)
from railclaim_devkit.synthetic.xbrl import render_xbrl
from railclaim_devkit.synthetic.zipfiles import render_zip

_MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * _MIB


@dataclass(frozen=True, slots=True)
class HostileFile:
    """A named hostile input, the refusal code it must produce, and why; bytes built on demand."""

    name: str
    expected_code: str
    reason: str
    build: Callable[[], bytes] = field(repr=False, compare=False)

    @property
    def data(self) -> bytes:
        return self.build()


def billion_laughs_xml(levels: int = 10, fan_out: int = 10) -> bytes:
    """XBRL-looking XML whose entity `lol{levels}` would expand to fan_out**levels strings."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * fan_out}">' for i in range(1, levels + 1)]
    return _rai_with_doctype("\n".join(entities), f"&lol{levels};")


def external_entity_xml(target: str = "file:///etc/passwd") -> bytes:
    """XBRL-looking XML that pulls a local file into the passenger name (XXE)."""
    return _rai_with_doctype(f'<!ENTITY xxe SYSTEM "{target}">', "&xxe;")


def random_bytes(size: int = 64 * 1024, seed: int = 12306) -> bytes:
    # A leading NUL keeps noise from ever looking like XML, PDF or ZIP by chance.
    return b"\x00" + random.Random(seed).randbytes(size - 1)


def png_image() -> bytes:
    """A valid 1 x 1 PNG: a picture of a ticket is not a ticket."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def oversized_pdf(size: int = 30 * _MIB) -> bytes:
    """A 30 MB file starting like a PDF: refused on size before anything is parsed."""
    head = b"%PDF-1.4\n%"
    return head + b" " * (size - len(head))


def zip_bomb(expanded_bytes: int = 256 * _MIB) -> bytes:
    """One member of zeros, ~1000:1: 256 MiB declared in a ~260 KB archive, streamed to build."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("25119199999000000001.pdf", date_time=(2025, 1, 1, 8, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = bytes(_MIB)
            for _ in range(expanded_bytes // _MIB):
                member.write(chunk)
    return buffer.getvalue()


def zeros_raw_deflate(size: int) -> bytes:
    """`size` zero bytes as a raw deflate stream (ZIP's), built in ~0.05 s whatever the size.

    Each MiB is compressed alone (a full flush resets the window), so the middle chunks are
    byte-identical and are repeated rather than compressed again.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = bytes(_MIB)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + middle * (size // _MIB - 1) + compressor.flush()


def lying_zip_bomb(
    name: str = "25119199999000000001.pdf",
    *,
    declared_bytes: int = 4096,
    expanded_bytes: int = 1024 * _MIB,
    extra_members: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """A ~1 MB ZIP whose member declares `declared_bytes` in both headers but inflates to 1 GiB.

    Ratio checks on the declared sizes pass (4 KiB from 1 MB); only an inflate that stops at the
    declared size refuses it. `extra_members` (stored) come first, to plant the bomb in an OFD.
    """
    members = [(n, d, d, zlib.crc32(d), 0) for n, d in extra_members]
    members.append((name, zeros_raw_deflate(expanded_bytes), b"", 0, 8))
    local, central = bytearray(), bytearray()
    for member_name, payload, _, crc, method in members:
        encoded = member_name.encode()
        size = len(payload) if method == 0 else declared_bytes
        fields = (20, 0, method, 0, 0x21, crc, len(payload), size, len(encoded), 0)
        central += struct.pack("<4s2H", b"PK\x01\x02", 0x031E, 20)
        central += struct.pack("<4H3L2H", *fields[1:]) + struct.pack(
            "<3H2L", 0, 0, 0, 0, len(local)
        )
        central += encoded
        local += struct.pack("<4sH4H3L2H", b"PK\x03\x04", *fields) + encoded + payload
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(local), 0)
    return bytes(local + central + end)


def overlapping_zip_bomb(members: int = 150, member_bytes: int = _MIB) -> bytes:
    """One stored MiB of noise that `members` directory entries all point at (Fifield's trick).

    Every entry is honest: its sizes and CRC match the bytes, nothing compresses, the declared
    total (150 MiB) is under the archive limit. Only noticing that the entries share their bytes
    refuses it; read member by member, the 1 MiB archive becomes 150 MiB in memory.
    """
    payload = random.Random(15).randbytes(member_bytes)
    crc = zlib.crc32(payload)
    first = b"0000.pdf"
    fields = (20, 0, 0, 0, 0x21, crc, member_bytes, member_bytes, len(first), 0)
    local = struct.pack("<4sH4H3L2H", b"PK\x03\x04", *fields) + first + payload
    central = bytearray()
    for index in range(members):
        name = f"{index:04d}.pdf".encode()
        entry = (0, 0, 0, 0x21, crc, member_bytes, member_bytes, len(name), 0)
        central += struct.pack("<4s2H", b"PK\x01\x02", 0x031E, 20)
        central += struct.pack("<4H3L2H", *entry) + struct.pack("<3H2L", 0, 0, 0, 0, 0) + name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, members, members, len(central), len(local), 0
    )
    return bytes(local + central + end)


def small_members_zip_bomb(members: int = 180, member_bytes: int = _MIB) -> bytes:
    """`members` separate members of 1 MiB of zeros each: every one under the ratio floor."""
    payload = zeros_raw_deflate(member_bytes)
    crc = zlib.crc32(bytes(member_bytes))
    local, central = bytearray(), bytearray()
    for index in range(members):
        name = f"{index:04d}.pdf".encode()
        entry = (0, 8, 0, 0x21, crc, len(payload), member_bytes, len(name), 0)
        central += struct.pack("<4s2H", b"PK\x01\x02", 0x031E, 20)
        central += struct.pack("<4H3L2H", *entry) + struct.pack("<3H2L", 0, 0, 0, 0, len(local))
        central += name
        local += struct.pack("<4sH4H3L2H", b"PK\x03\x04", 20, *entry) + name + payload
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, members, members, len(central), len(local), 0
    )
    return bytes(local + central + end)


def encrypted_member_zip() -> bytes:
    """A bundle whose member carries the "encrypted" flag (traditional PKWARE encryption).

    zipfile cannot write encrypted members, so the flag bit is set in both headers afterwards.
    """
    data = bytearray(render_zip(_invoice_members()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local_offsets = [info.header_offset for info in archive.infolist()]
        central = archive.start_dir
    for offset in local_offsets:
        data[offset + 6] |= 0x1
    while data[central : central + 4] == b"PK\x01\x02":
        data[central + 8] |= 0x1
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[central + 28 : central + 34])
        central += 46 + name_len + extra_len + comment_len
    return bytes(data)


def ofd_with_member(name: str, data: bytes | None) -> bytes:
    """The sample invoice's OFD with member `name` replaced by `data`, or removed if None."""
    with zipfile.ZipFile(io.BytesIO(render_ofd(hostile_pdf.sample_spec()))) as ofd:
        members = [(info.filename, ofd.read(info)) for info in ofd.infolist()]
    if data is None:
        return render_zip([(n, d) for n, d in members if n != name])
    return render_zip([(n, data if n == name else d) for n, d in members])


def template_amplification_ofd(citations: int = 20_000, text_objects: int = 8_000) -> bytes:
    """The sample OFD whose page cites one template `citations` times; the template draws
    `text_objects` strings. Each part is under the XML limit; read per citation, the page
    becomes 160 million text runs."""
    with zipfile.ZipFile(io.BytesIO(render_ofd(hostile_pdf.sample_spec()))) as ofd:
        members = {info.filename: ofd.read(info) for info in ofd.infolist()}
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    members["Doc_0/Document.xml"] = members["Doc_0/Document.xml"].replace(
        b"</ofd:CommonData>", b'<ofd:TemplatePage ID="9" BaseLoc="Tpl.xml"/></ofd:CommonData>'
    )
    drawn = (
        '<ofd:TextObject ID="1" Boundary="0 0 9 9" Size="3"><ofd:TextCode X="0" Y="3">'
        "x</ofd:TextCode></ofd:TextObject>"
    )
    members["Doc_0/Tpl.xml"] = (
        f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="3">{drawn * text_objects}'
        "</ofd:Layer></ofd:Content></ofd:Page>"
    ).encode()
    page = "Doc_0/Pages/Page_0/Content.xml"
    members[page] = members[page].replace(
        b"<ofd:Content>", b'<ofd:Template TemplateID="9"/>' * citations + b"<ofd:Content>", 1
    )
    return render_zip(list(members.items()))


def _ofd_laughs() -> bytes:
    xbrl = f"Doc_0/Attachs/rai_issuer_{hostile_pdf.sample_spec().invoice_number}.xml"
    return ofd_with_member(xbrl, billion_laughs_xml())


def _ofd_lying_document() -> bytes:
    """The sample OFD whose Document.xml declares 4 KiB and inflates to 1 GiB."""
    with zipfile.ZipFile(io.BytesIO(render_ofd(hostile_pdf.sample_spec()))) as ofd:
        others = tuple(
            (info.filename, ofd.read(info))
            for info in ofd.infolist()
            if info.filename != "Doc_0/Document.xml"
        )
    return lying_zip_bomb("Doc_0/Document.xml", extra_members=others)


def _ofd_without_document() -> bytes:
    return ofd_with_member("Doc_0/Document.xml", None)


def _invoice_members() -> list[tuple[str, bytes]]:
    return bundle_members([hostile_pdf.sample_spec()], ("pdf",))


def _renamed(name: str) -> bytes:
    return render_zip([(name, _invoice_members()[0][1])])


def _nested_zip() -> bytes:
    inner = render_zip(_invoice_members())
    return render_zip([("inner.zip", inner)])


def _too_many_members(count: int = 2500) -> bytes:
    return render_zip([(f"{i:05d}.xml", b"") for i in range(count)], compression=zipfile.ZIP_STORED)


def _docx_like_zip() -> bytes:
    return render_zip(
        [
            ("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="urn:x-types"/>'),
            ("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="urn:x-w"/>'),
        ]
    )


def _rai_with_doctype(internal_subset: str, name_text: str) -> bytes:
    xml = render_xbrl(hostile_pdf.sample_spec()).decode("utf-8")
    prolog, rest = xml.split("\n", 1)
    doctype = f"<!DOCTYPE xbrli:xbrl [\n{internal_subset}\n]>"
    start = rest.index("<rai:Name ")
    end = rest.index("</rai:Name>", start)
    opening = rest[start : rest.index(">", start) + 1]
    rest = rest[:start] + opening + name_text + rest[end:]
    return f"{prolog}\n{doctype}\n{rest}".encode()


def _cached(build: Callable[[], bytes]) -> Callable[[], bytes]:
    return functools.cache(build)


def hostile_files() -> list[HostileFile]:
    """The whole hostile corpus; `data` is built lazily and cached per file."""
    unreadable, encrypted, too_large = "unreadable-file", "encrypted-file", "too-large"
    unsupported, not_railway = "unsupported-format", "not-a-travel-invoice"
    pdfs = hostile_pdf
    entries: list[tuple[str, str, str, Callable[[], bytes]]] = [
        ("empty.pdf", unreadable, "zero bytes", lambda: b""),
        ("noise.pdf", unsupported, "64 KiB of random bytes", random_bytes),
        ("ticket.png", unsupported, "a PNG image", png_image),
        ("truncated.pdf", unreadable, "cut inside the content stream", pdfs.truncated_pdf),
        ("encrypted.pdf", encrypted, "user password set", pdfs.encrypted_pdf),
        ("deflate_bomb.pdf", too_large, "page stream inflates to 256 MiB", pdfs.deflate_bomb_pdf),
        ("attachment_bomb.pdf", too_large, "XBRL inflates to 256 MiB", _attachment_bomb),
        ("billion_laughs.xml", unreadable, "nested entity expansion", billion_laughs_xml),
        ("external_entity.xml", unreadable, "XXE to a local file", external_entity_xml),
        ("billion_laughs.pdf", unreadable, "embedded XBRL with entity expansion", _laughs_pdf),
        ("page_tree_loop.pdf", unreadable, "/Pages lists itself", pdfs.page_tree_loop_pdf),
        ("parent_loop.pdf", unreadable, "two /Pages nodes in a cycle", pdfs.parent_loop_pdf),
        (
            "self_reference.pdf",
            unreadable,
            "objects pointing at themselves",
            pdfs.self_reference_pdf,
        ),
        ("six_pages.pdf", too_large, "more pages than an invoice has", pdfs.many_pages_pdf),
        ("laughs.ofd", unreadable, "OFD whose XBRL expands entities", _ofd_laughs),
        ("no_document.ofd", unreadable, "OFD without its Document.xml", _ofd_without_document),
        ("oversized.pdf", too_large, "30 MB, over the 20 MB default", oversized_pdf),
        ("zip_bomb.zip", too_large, "256 MiB of zeros at ~1000:1", zip_bomb),
        ("lying_header.zip", too_large, "declares 4 KiB, inflates to 1 GiB", lying_zip_bomb),
        ("lying_part.ofd", too_large, "Document.xml: 4 KiB declared, 1 GiB", _ofd_lying_document),
        ("overlapping.zip", unreadable, "150 entries share one MiB", overlapping_zip_bomb),
        ("small_members.zip", too_large, "180 MiB in 1 MiB members", small_members_zip_bomb),
        ("zip_slip.zip", unreadable, "member named ../x.pdf", lambda: _renamed("../x.pdf")),
        ("zip_absolute.zip", unreadable, "member named /abs.pdf", lambda: _renamed("/abs.pdf")),
        ("nested.zip", unreadable, "a ZIP inside the ZIP", _nested_zip),
        ("too_many_members.zip", too_large, "2500 members", _too_many_members),
        ("encrypted_member.zip", encrypted, "member flagged encrypted", encrypted_member_zip),
        ("document.docx", not_railway, "a ZIP of non-invoice XML", _docx_like_zip),
        ("notes.pdf", not_railway, "a PDF with no invoice", render_plain_pdf),
        ("vat_invoice.pdf", not_railway, "an ordinary 数电票 with its XML", _vat_pdf),
        ("vat_invoice.xml", not_railway, "an ordinary 数电票 XML", _vat_xml),
    ]
    return [HostileFile(name, code, why, _cached(build)) for name, code, why, build in entries]


def _attachment_bomb() -> bytes:
    return hostile_pdf.deflate_bomb_pdf(in_attachment=True)


def _laughs_pdf() -> bytes:
    return hostile_pdf.xbrl_bomb_pdf(billion_laughs_xml())


def _vat_pdf() -> bytes:
    return render_vat_invoice_pdf(random.Random(7))


def _vat_xml() -> bytes:
    return render_vat_invoice_xml(random.Random(7))
