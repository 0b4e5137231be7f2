"""Opening ZIP containers (bundles, OFD packages) within the safety limits, before any read."""

from __future__ import annotations

import io
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
    total = 0
    for info in infos:
        if is_unsafe_name(info.filename):
            raise UnreadableFile(f"the {what} has an unsafe member name", member=info.filename)
        if info.flag_bits & 0x1:
            raise EncryptedFile(f"the {what} has an encrypted member", member=info.filename)
        _check_ratio(info, limits, what)
        total += info.file_size
    if total > limits.max_zip_total_bytes:
        raise TooLarge(f"the {what} expands to {total} bytes (limit {limits.max_zip_total_bytes})")
    return archive


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
    """A member's bytes; zipfile stops at the declared size, which `open_zip` already bounded."""
    with zip_boundary(what):
        return archive.read(info)
