"""ZIP members inflate in bounded steps that stop at the declared size, whatever headers say."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile

import pytest

from app.invoices.parsing import ParseLimits, TooLarge, UnreadableFile
from app.invoices.parsing.safezip import open_zip, read_member
from railclaim_devkit.synthetic.hostile import lying_zip_bomb
from railclaim_devkit.synthetic.zipfiles import render_zip

_MIB = 1024 * 1024
LIMITS = ParseLimits()


def _only_member(data: bytes, limits: ParseLimits = LIMITS) -> bytes:
    archive = open_zip(data, limits, "ZIP file")
    [info] = archive.infolist()
    return read_member(archive, info, "ZIP file")


def test_a_header_that_understates_the_size_is_refused_after_one_bounded_step() -> None:
    bomb = lying_zip_bomb(declared_bytes=4096, expanded_bytes=1024 * _MIB)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="inflates past its declared 4096 bytes") as refused:
            _only_member(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.member == "25119199999000000001.pdf"
    # The archive itself is ~1 MB; zipfile's read() peaked at 2 GiB on this file.
    assert peak < 4 * _MIB


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_honest_members_read_back_exactly(compression: int) -> None:
    payload = random.Random(3).randbytes(2 * _MIB) + bytes(100_000)
    assert _only_member(render_zip([("a.pdf", payload)], compression=compression)) == payload
    assert _only_member(render_zip([("e.xml", b"")], compression=compression)) == b""


def test_a_member_shorter_than_declared_is_unreadable() -> None:
    short = lying_zip_bomb(declared_bytes=3 * _MIB, expanded_bytes=2 * _MIB)
    with pytest.raises(UnreadableFile, match="shorter than declared"):
        # The ratio check would refuse these zeros before any read; the point here is the read.
        _only_member(short, ParseLimits(max_compression_ratio=10_000))


def test_a_member_whose_bytes_do_not_match_its_crc_is_unreadable() -> None:
    data = bytearray(render_zip([("a.xml", b"<a>" * 1000)], compression=zipfile.ZIP_STORED))
    data[data.index(b"<a><a>") + 1] = ord("b")
    with pytest.raises(UnreadableFile, match="CRC-32"):
        _only_member(bytes(data))


def test_a_truncated_member_is_unreadable() -> None:
    data = render_zip([("a.xml", bytes(range(256)) * 400)])
    archive = zipfile.ZipFile(io.BytesIO(data))
    [info] = archive.infolist()
    cut = data[: info.header_offset + 30 + len("a.xml") + info.compress_size // 2]
    # The directory is kept, the member's compressed bytes are cut in half.
    damaged = cut + data[archive.start_dir :]
    with pytest.raises(UnreadableFile):
        _only_member(damaged)


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compression_methods_without_a_bounded_inflate_are_refused(compression: int) -> None:
    # zipfile decompresses bzip2 and LZMA without an output cap; 12306 and OFD use deflate.
    data = render_zip([("a.pdf", b"%PDF-1.7" + bytes(10_000))], compression=compression)
    with pytest.raises(UnreadableFile, match=f"compression method {compression}"):
        _only_member(data)


def test_no_member_may_declare_more_than_a_whole_file_may_have() -> None:
    data = render_zip([("Doc_0/Attachs/rai_issuer_x.xml", bytes(2048))])
    with pytest.raises(TooLarge) as refused:
        open_zip(data, ParseLimits(max_bytes=1024), "OFD package")
    assert refused.value.member == "Doc_0/Attachs/rai_issuer_x.xml"
