"""Opening ZIP containers (bundles, OFD packages) within the safety limits, and reading members.

Headers are the attacker's words: the directory is vetted before any read, and each member is
inflated in bounded steps that stop at its declared size, so a lie costs one step, not a GiB.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

from app.invoices.parsing.model import (
    EncryptedFile,
    ParseError,
    ParseLimits,
    TooLarge,
    UnreadableFile,
)

# Small members compress far better than the ratio limit (a 3 KB XML of repeated tags): the ratio
# guards against bombs, which only matter once a member is big.
_RATIO_FLOOR_BYTES = 1024 * 1024
# Compressed bytes taken per step; the output of a step is capped by what the member may still add.
_INPUT_STEP_BYTES = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_MAGIC = b"PK\x03\x04"


@contextmanager
def zip_boundary(what: str) -> Iterator[None]:
    """zipfile and zlib raise many types on damaged archives; all of them mean "unreadable"."""
    try:
        yield
    except ParseError:
        raise
    # zlib.error is neither an OSError nor a ValueError: a corrupt deflate stream raises it.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise UnreadableFile(f"the {what} cannot be read: {exc}") from exc
    except (RuntimeError, NotImplementedError) as exc:  # unsupported compression, encryption
        raise UnreadableFile(f"the {what} cannot be read: {exc}") from exc


def open_zip(data: bytes, limits: ParseLimits, what: str) -> zipfile.ZipFile:
    """Open an archive and vet its directory: names, member count, declared sizes, ratios."""
    with zip_boundary(what):
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise TooLarge(f"the {what} has {len(infos)} members (limit {limits.max_zip_members})")
    total = compressed = 0
    for info in infos:
        if is_unsafe_name(info.filename):
            raise UnreadableFile(f"the {what} has an unsafe member name", member=info.filename)
        if info.flag_bits & 0x1:
            raise EncryptedFile(f"the {what} has an encrypted member", member=info.filename)
        if info.file_size > limits.max_bytes:
            # No part of a file may be bigger than a whole file may be: this caps every read.
            raise TooLarge(
                f"a member of the {what} is larger than {limits.max_bytes} bytes",
                member=info.filename,
            )
        _check_ratio(info, limits, what)
        total += info.file_size
        compressed += info.compress_size
    if total > limits.max_zip_total_bytes:
        raise TooLarge(f"the {what} expands to {total} bytes (limit {limits.max_zip_total_bytes})")
    # Many members under the per-member floor add up: 200 MiB of 1 MiB zero files is a bomb too.
    if total > _RATIO_FLOOR_BYTES and total > max(compressed, 1) * limits.max_compression_ratio:
        raise TooLarge(f"the {what} compresses more than {limits.max_compression_ratio}:1")
    with zip_boundary(what):
        _check_no_overlap(archive, infos, what)
    return archive


def _check_no_overlap(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], what: str) -> None:
    """Each member's data must end before the next member begins (or the directory does).

    Directory entries that share or overlap compressed data (Fifield's overlapping ZIP bomb) let
    one small archive declare many members made of the same bytes; zipfile catches some of it
    in `open()`, which `read_member` does not use.
    """
    if not infos:
        return
    by_offset = sorted(infos, key=lambda info: info.header_offset)
    ends = [info.header_offset for info in by_offset[1:]] + [archive.start_dir]
    for info, end in zip(by_offset, ends, strict=True):
        if _data_start(archive, info) + info.compress_size > end:
            raise UnreadableFile(
                f"the {what} has overlapping members (a ZIP bomb trick)", member=info.filename
            )


def _check_ratio(info: zipfile.ZipInfo, limits: ParseLimits, what: str) -> None:
    if info.file_size <= _RATIO_FLOOR_BYTES:
        return
    if info.file_size > max(info.compress_size, 1) * limits.max_compression_ratio:
        raise TooLarge(
            f"a member of the {what} compresses more than {limits.max_compression_ratio}:1",
            member=info.filename,
        )


def is_unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and `..` components could escape any folder they land in."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return True
    return ".." in PurePosixPath(unified).parts


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """A member's bytes, never more than its declared size (which `open_zip` bounded) in memory.

    zipfile's own `read()` inflates with a 2 GiB output cap and truncates to the declared size only
    afterwards; here every inflate step is capped by the room left, so output past the declared
    size is refused one step after it begins. Only stored and deflated members are read: bzip2 and
    LZMA (whose decompressors zipfile runs uncapped) are not what 12306 or an OFD writer produce.
    """
    with zip_boundary(what):
        source = _member_source(archive, info)
        if info.compress_type == zipfile.ZIP_STORED:
            data = source.read(info.file_size)
            if info.compress_size != info.file_size or len(data) != info.file_size:
                raise UnreadableFile(
                    f"a stored member of the {what} is truncated", member=info.filename
                )
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            data = _inflate(source, info, what)
        else:
            raise UnreadableFile(
                f"a member of the {what} uses compression method {info.compress_type}, "
                "which is not read (stored and deflate only)",
                member=info.filename,
            )
    if zlib.crc32(data) != info.CRC:
        raise UnreadableFile(f"a member of the {what} fails its CRC-32 check", member=info.filename)
    return data


def _data_start(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Where the member's compressed bytes begin, found through its local header."""
    source = archive.fp
    if source is None:
        raise ValueError("the archive is closed")
    source.seek(info.header_offset)
    header = source.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_MAGIC:
        raise zipfile.BadZipFile(f"no local header for {info.filename!r}")
    name_length: int = _LOCAL_HEADER.unpack(header)[10]
    extra_length: int = _LOCAL_HEADER.unpack(header)[11]
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _member_source(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BytesIO:
    """The member's compressed bytes, located through its local header as zipfile would."""
    start = _data_start(archive, info)
    source = archive.fp
    assert source is not None  # _data_start checked it
    source.seek(start)
    compressed = source.read(info.compress_size)
    if len(compressed) != info.compress_size:
        raise EOFError(f"{info.filename!r} is truncated")
    return io.BytesIO(compressed)


def _inflate(source: io.BytesIO, info: zipfile.ZipInfo, what: str) -> bytes:
    """Raw deflate, in steps of bounded input and output, to exactly the declared size."""
    declared = info.file_size
    if declared == 0 and info.compress_size == 0:
        return b""  # some writers store an empty deflated member as no bytes at all
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    pending = b""
    while not inflater.eof:
        pending = pending or source.read(_INPUT_STEP_BYTES)
        if not pending:
            raise UnreadableFile(f"a member of the {what} is truncated", member=info.filename)
        # One byte of room beyond the declared size is how a lying header shows itself.
        out += inflater.decompress(pending, declared + 1 - len(out))
        pending = inflater.unconsumed_tail
        if len(out) > declared:
            raise TooLarge(
                f"a member of the {what} inflates past its declared {declared} bytes",
                member=info.filename,
            )
    if len(out) != declared:
        raise UnreadableFile(
            f"a member of the {what} is shorter than declared", member=info.filename
        )
    return bytes(out)
