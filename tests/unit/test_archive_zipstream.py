"""The streamed zip and bag writers: readable zips however many entries, ZIP64 records, failures."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile

from app.archive.bag import StreamedBag
from app.archive.zipstream import CENTRAL_DIR, SpooledCentralZip, central_record


class Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()
        self.taken = 0

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)

    def drain(self) -> bytes:
        chunk = bytes(self.data[self.taken :])
        self.taken = len(self.data)
        return chunk


def test_more_entries_than_a_classic_zip_holds_read_back():
    sink = Sink()
    archive = SpooledCentralZip(sink)
    count = 70_000  # above 65,535: the ZIP64 end records are needed
    for n in range(count):
        with archive.open(zipfile.ZipInfo(f"d/{n}.txt"), "w") as entry:
            entry.write(str(n).encode())
        archive.spool()
        assert archive.filelist == []  # nothing accumulates in memory
    streamed = b"".join(archive.finish(sink.drain))
    assert streamed == bytes(sink.data)
    with zipfile.ZipFile(io.BytesIO(streamed)) as back:
        names = back.namelist()
        assert len(names) == count
        assert back.read("d/69999.txt") == b"69999"
        assert back.testzip() is None


def test_a_large_entry_gets_zip64_sizes_and_offset_in_its_central_record():
    info = zipfile.ZipInfo("档案/big.pdf", date_time=(2026, 11, 27, 10, 30, 58))
    info.file_size = info.compress_size = 5 * 2**30
    info.header_offset = 7 * 2**30
    info.CRC = 0  # set by the writer once the entry is written
    record = central_record(info)
    fields = CENTRAL_DIR.unpack(record[: CENTRAL_DIR.size])
    assert fields[5] & 0x800  # a UTF-8 name is flagged as such
    assert (fields[10], fields[11], fields[18]) == (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    name_length, extra_length = fields[12], fields[13]
    extra = record[CENTRAL_DIR.size + name_length :]
    assert len(extra) == extra_length
    assert struct.unpack("<HH3Q", extra) == (1, 24, 5 * 2**30, 5 * 2**30, 7 * 2**30)


def test_a_missing_or_altered_payload_is_listed_with_its_recorded_hash_and_counted():
    bag = StreamedBag("bag", dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    good, recorded = b"original", hashlib.sha256(b"original").hexdigest()
    parts = [*bag.start()]
    parts += bag.add_payload("a/good.txt", io.BytesIO(good), sha256=recorded, size=len(good))
    parts += bag.add_payload("a/gone.txt", None, sha256="1" * 64, size=5)
    parts += bag.add_payload("a/altered.txt", io.BytesIO(b"changed"), sha256=recorded, size=7)
    parts += bag.finish([("Source-Organization", "测试")], [])
    with zipfile.ZipFile(io.BytesIO(b"".join(parts))) as back:
        manifest = back.read("bag/manifest-sha256.txt").decode()
        info = back.read("bag/bag-info.txt").decode()
        assert "bag/data/a/gone.txt" not in back.namelist()
    assert manifest.splitlines() == [
        f"{recorded}  data/a/good.txt",
        f"{'1' * 64}  data/a/gone.txt",
        f"{recorded}  data/a/altered.txt",
    ]
    assert "Payload-Oxum: 20.3" in info
    assert len(bag.failures) == 2
