"""A write-only zip whose central directory is spooled to disk entry by entry: flat memory.

The standard library's `ZipFile` keeps one `ZipInfo` (about 0.6 KB) per entry until `close`
writes the central directory, so memory grows with the entry count. Here each finished entry's
central-directory record is serialised at once (as `ZipFile._write_end_record` would) into a
spooled temporary file, and `finish` streams those records and the end records out in chunks.
Record layouts: APPNOTE.TXT 4.3.12 (central directory), 4.3.14-16 (ZIP64 end records).
"""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

CENTRAL_DIR = struct.Struct("<4s4B4HL2L5H2L")
END_ARCHIVE = struct.Struct("<4s4H2LH")
END_ARCHIVE64 = struct.Struct("<4sQ2H2L4Q")
END_ARCHIVE64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_LIMIT = (1 << 31) - 1
FILECOUNT_LIMIT = (1 << 16) - 1
ZIP64_VERSION = 45
UTF8_NAME = 0x800
SPOOL_BYTES = 1024 * 1024
CHUNK = 256 * 1024


def spooled_file() -> IO[bytes]:
    """In memory up to SPOOL_BYTES, then a temporary file: flat memory for any size."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")


def central_record(info: zipfile.ZipInfo) -> bytes:
    """The central-directory record of a written entry, ZIP64 fields where sizes need them."""
    year, month, day, hour, minute, second = info.date_time
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | (second // 2)
    wide: list[int] = []
    file_size, compress_size, offset = info.file_size, info.compress_size, info.header_offset
    if file_size > ZIP64_LIMIT or compress_size > ZIP64_LIMIT:
        wide += [file_size, compress_size]
        file_size = compress_size = 0xFFFFFFFF
    if offset > ZIP64_LIMIT:
        wide.append(offset)
        offset = 0xFFFFFFFF
    extra = struct.pack(f"<HH{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
    version = max(ZIP64_VERSION if wide else 0, info.extract_version)
    try:
        name, flags = info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        name, flags = info.filename.encode("utf-8"), info.flag_bits | UTF8_NAME
    header = CENTRAL_DIR.pack(
        b"PK\x01\x02", max(version, info.create_version), info.create_system, version,
        info.reserved, flags, info.compress_type, dostime, dosdate, info.CRC, compress_size,
        file_size, len(name), len(extra), 0, 0, info.internal_attr, info.external_attr, offset,
    )  # fmt: skip
    return header + name + extra


class SpooledCentralZip(zipfile.ZipFile):
    """Write entries with `open(info, "w")` as usual, call `spool()` after each, end with
    `finish(drain)` instead of `close()`."""

    def __init__(self, sink: io.RawIOBase) -> None:
        super().__init__(sink, "w", allowZip64=True)
        self._central = spooled_file()
        self._entries = 0

    def spool(self) -> None:
        """Moves the entries written so far out of memory into the spooled central directory."""
        for info in self.filelist:
            self._central.write(central_record(info))
            self._entries += 1
        self.filelist.clear()
        self.NameToInfo.clear()  # only used to warn about duplicate names

    def finish(self, drain: Callable[[], bytes]) -> Iterator[bytes]:
        """Streams the central directory and the end records; the zip is closed afterwards."""
        self.spool()
        start = self.start_dir  # where the last entry ended: the central directory begins
        self._central.seek(0)
        while chunk := self._central.read(CHUNK):
            self.fp.write(chunk)  # type: ignore[union-attr]
            yield drain()
        self._central.close()
        self.fp.write(self._end_records(start, self.fp.tell()))  # type: ignore[union-attr]
        yield drain()
        self.fp = None  # nothing left for close() (or the destructor) to write

    def _end_records(self, start: int, end: int) -> bytes:
        count, size = self._entries, end - start
        records = b""
        if count > FILECOUNT_LIMIT or start > ZIP64_LIMIT or size > ZIP64_LIMIT:
            records += END_ARCHIVE64.pack(
                b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start
            ) + END_ARCHIVE64_LOCATOR.pack(b"PK\x06\x07", 0, end, 1)
            count, size, start = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
        return records + END_ARCHIVE.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0)
