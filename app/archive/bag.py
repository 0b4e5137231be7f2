"""A BagIt (RFC 8493) bag written as a zip stream: bytes out as they are made, constant memory.

The zip goes to a write-only sink (the standard library then writes data descriptors instead of
seeking back), and the sink is drained after every chunk. Manifests, tag files whose content is
only known at the end, and the zip's central directory are spooled to temporary files and
written last, which BagIt allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Generator, Iterator
from typing import IO, BinaryIO

from app.archive.zipstream import SpooledCentralZip, spooled_file

CHUNK = 256 * 1024
# Already compressed formats are stored as they are; deflating them again only costs CPU.
STORED_SUFFIXES = (".pdf", ".ofd", ".png", ".jpg", ".zip")
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


class _Sink(io.RawIOBase):
    """Collects what the zip writer emits until the stream drains it."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        return len(data)

    def drain(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class StreamedBag:
    """Payload files are added one by one; `finish` writes bag-info and the manifests.

    The manifest lists the hash each file was *recorded* with: a file that changed or went
    missing since then makes the bag fail validation, which is the truth about the archive.
    """

    def __init__(self, root: str, created_at: dt.datetime) -> None:
        self.root = root
        self._sink = _Sink()
        self._zip = SpooledCentralZip(self._sink)
        self._date_time = created_at.timetuple()[:6]
        self._manifest = spooled_file()
        self._tag_hashes: list[tuple[str, str]] = []
        self.payload_bytes = 0
        self.payload_files = 0
        self.failures: list[str] = []

    def start(self) -> Iterator[bytes]:
        yield from self.add_tag("bagit.txt", io.BytesIO(BAGIT_TXT))
        # An explicit entry, so an export of an empty range still unzips to a bag with data/.
        self._zip.mkdir(f"{self.root}/data")
        self._zip.spool()
        yield self._sink.drain()

    def add_payload(
        self,
        path: str,
        source: BinaryIO | None,
        *,
        sha256: str,
        size: int,
        actual_sha256: str | None = None,
    ) -> Iterator[bytes]:
        """Copies `source` to data/<path>; a missing source is listed but not written.

        `actual_sha256`: the source's hash, when its reader computed it already."""
        name = f"data/{path}"
        self._manifest.write(f"{sha256}  {name}\n".encode())
        self.payload_files += 1
        self.payload_bytes += size
        if source is None:
            self.failures.append(f"{name}: missing from the file store")
            return
        copied = yield from self._copy(name, source, size, hashed=actual_sha256 is None)
        actual = actual_sha256 or copied
        if actual != sha256:
            self.failures.append(f"{name}: content differs from its recorded SHA-256")

    def add_tag(self, name: str, source: IO[bytes]) -> Iterator[bytes]:
        digest = yield from self._copy(name, source, None)
        self._tag_hashes.append((name, digest))

    def finish(
        self, info: list[tuple[str, str]], tag_files: list[tuple[str, IO[bytes]]]
    ) -> Iterator[bytes]:
        """Extra tag files, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt, the end."""
        for name, source in tag_files:
            source.seek(0)
            yield from self.add_tag(name, source)
        oxum = ("Payload-Oxum", f"{self.payload_bytes}.{self.payload_files}")
        bag_info = "".join(f"{key}: {value}\n" for key, value in [*info, oxum])
        yield from self.add_tag("bag-info.txt", io.BytesIO(bag_info.encode("utf-8")))
        self._manifest.seek(0)
        yield from self.add_tag("manifest-sha256.txt", self._manifest)
        self._manifest.close()
        lines = "".join(f"{digest}  {name}\n" for name, digest in self._tag_hashes)
        yield from self._copy("tagmanifest-sha256.txt", io.BytesIO(lines.encode()), None)
        yield from self._zip.finish(self._sink.drain)

    def _copy(
        self, name: str, source: IO[bytes], size: int | None, *, hashed: bool = True
    ) -> Generator[bytes, None, str]:
        """Streams one zip entry; the generator's return value is the SHA-256 of what it wrote
        (empty when not `hashed`: the caller knows it already)."""
        info = zipfile.ZipInfo(f"{self.root}/{name}", date_time=self._date_time)
        info.compress_type = (
            zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        )
        if size is not None:
            info.file_size = size  # lets zipfile choose ZIP64 for a large entry up front
        digest = hashlib.sha256()
        with self._zip.open(info, "w", force_zip64=size is None) as entry:
            while chunk := source.read(CHUNK):
                if hashed:
                    digest.update(chunk)
                entry.write(chunk)
                yield self._sink.drain()
        self._zip.spool()
        yield self._sink.drain()
        return digest.hexdigest() if hashed else ""
