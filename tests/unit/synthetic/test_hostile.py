"""Every hostile file really carries the attack it is named for (checked without the parser)."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from defusedxml import EntitiesForbidden
from defusedxml.ElementTree import fromstring
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.invoices.parsing.model import ParseError
from railclaim_devkit.synthetic.hostile import hostile_files

FILES = {h.name: h for h in hostile_files()}
CODES = {cls.code for cls in ParseError.__subclasses__()} | {ParseError.code}


def _inflated_size(compressed: bytes, cap: int = 1 << 30) -> int:
    """Bytes a Flate stream inflates to, counted in bounded chunks (never held in memory)."""
    inflater, total, rest = zlib.decompressobj(), 0, compressed
    while rest and total < cap:
        total += len(inflater.decompress(rest, 1 << 20))
        rest = inflater.unconsumed_tail
    return total


def test_every_expected_code_is_a_parse_error_code():
    assert {h.expected_code for h in FILES.values()} == CODES


SMALL = sorted(n for n in FILES if "bomb" not in n and n != "oversized.pdf")


@pytest.mark.parametrize("name", SMALL)
def test_small_hostile_files_are_deterministic(name: str):
    rebuilt = {h.name: h for h in hostile_files()}[name]
    assert rebuilt.build is not FILES[name].build
    assert rebuilt.data == FILES[name].data


def test_trivial_inputs():
    assert FILES["empty.pdf"].data == b""
    noise = FILES["noise.pdf"].data
    assert len(noise) == 64 * 1024
    assert b"%PDF" not in noise[:1024]
    assert not noise.startswith((b"PK", b"<"))
    assert FILES["ticket.png"].data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(FILES["oversized.pdf"].data) > 20 * 1024 * 1024


def test_truncated_pdf_has_no_trailer():
    data = FILES["truncated.pdf"].data
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" not in data
    assert b"xref" not in data


def test_encrypted_pdf_needs_a_password():
    reader = PdfReader(io.BytesIO(FILES["encrypted.pdf"].data))
    assert reader.is_encrypted
    assert reader.decrypt("12306") != 0


@pytest.mark.parametrize("name", ["deflate_bomb.pdf", "attachment_bomb.pdf"])
def test_deflate_bombs_inflate_a_thousandfold(name: str):
    data = FILES[name].data
    start = data.index(b"stream\n", data.index(b"/Length 2")) + len(b"stream\n")
    end = data.index(b"\nendstream", start)
    expanded = _inflated_size(data[start:end])
    assert expanded == 256 * 1024 * 1024
    assert expanded > 900 * len(data)


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_hostile_xml_is_refused_by_defusedxml(name: str):
    with pytest.raises(EntitiesForbidden):
        fromstring(FILES[name].data)


def test_billion_laughs_is_also_embedded_in_a_pdf():
    reader = PdfReader(io.BytesIO(FILES["billion_laughs.pdf"].data))
    [(_, [xml])] = list(reader.attachments.items())
    assert b"<!ENTITY lol10" in xml


@pytest.mark.parametrize("name", ["page_tree_loop.pdf", "parent_loop.pdf"])
def test_page_tree_loops_are_cycles(name: str):
    with pytest.raises(PdfReadError, match="cyclic"):
        len(PdfReader(io.BytesIO(FILES[name].data)).pages)


def test_self_reference_points_at_itself():
    assert b"8 0 obj\n8 0 R\nendobj" in FILES["self_reference.pdf"].data


def test_six_pages():
    assert len(PdfReader(io.BytesIO(FILES["six_pages.pdf"].data)).pages) == 6


def _infos(name: str) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(FILES[name].data)) as archive:
        return archive.infolist()


def test_zip_bomb_ratio():
    [info] = _infos("zip_bomb.zip")
    assert info.file_size == 256 * 1024 * 1024
    assert info.file_size / info.compress_size > 900


@pytest.mark.parametrize(
    ("name", "member"),
    [("lying_header.zip", "25119199999000000001.pdf"), ("lying_part.ofd", "Doc_0/Document.xml")],
)
def test_lying_headers_declare_4_kib_of_what_inflates_to_1_gib(name: str, member: str):
    data = FILES[name].data
    info = next(i for i in _infos(name) if i.filename == member)
    assert (info.file_size, info.compress_type) == (4096, zipfile.ZIP_DEFLATED)
    assert len(data) < 1.1 * 1024 * 1024
    start = info.header_offset + 30 + len(member)
    raw = data[start : start + info.compress_size]
    inflater, total, rest = zlib.decompressobj(-zlib.MAX_WBITS), 0, raw
    while rest:
        total += len(inflater.decompress(rest, 1 << 20))
        rest = inflater.unconsumed_tail
    assert total == 1 << 30


def test_zip_structure_attacks():
    assert [i.filename for i in _infos("zip_slip.zip")] == ["../x.pdf"]
    assert [i.filename for i in _infos("zip_absolute.zip")] == ["/abs.pdf"]
    assert len(_infos("too_many_members.zip")) > 2000
    assert all(i.flag_bits & 0x1 for i in _infos("encrypted_member.zip"))
    with zipfile.ZipFile(io.BytesIO(FILES["nested.zip"].data)) as outer:
        assert outer.read("inner.zip").startswith(b"PK\x03\x04")


@pytest.mark.parametrize("name", ["vat_invoice.xml", "document.docx", "notes.pdf"])
def test_not_railway_files_hold_no_rai_data(name: str):
    data = FILES[name].data
    assert b"xbrl.mof.gov.cn" not in data
    assert "铁路电子客票".encode() not in data


def test_vat_invoice_pdf_has_another_title():
    reader = PdfReader(io.BytesIO(FILES["vat_invoice.pdf"].data))
    text = reader.pages[0].extract_text()
    assert "电子发票（普通发票）" in text
    assert "铁路电子客票" not in text


def test_hostile_ofds():
    with zipfile.ZipFile(io.BytesIO(FILES["no_document.ofd"].data)) as ofd:
        assert "OFD.xml" in ofd.namelist()
        assert "Doc_0/Document.xml" not in ofd.namelist()
    with zipfile.ZipFile(io.BytesIO(FILES["laughs.ofd"].data)) as ofd:
        [xbrl] = [n for n in ofd.namelist() if n.startswith("Doc_0/Attachs/rai_issuer_")]
        assert b"<!ENTITY lol10" in ofd.read(xbrl)
