"""Deterministic ZIP writing shared by the OFD renderer and the 12306 e-mail bundles."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

# ZIP timestamps cannot predate 1980; a fixed default keeps bytes stable across runs.
DEFAULT_STAMP = dt.datetime(2025, 1, 1, 8, 0, 0, tzinfo=dt.UTC)


def render_zip(
    members: list[tuple[str, bytes]],
    *,
    stamp: dt.datetime = DEFAULT_STAMP,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A ZIP of `(name, data)` members in order; same members and stamp, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = compression
            # Unix permissions 0644 and "made on Unix", as ordinary zip tools write them.
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data, compress_type=compression, compresslevel=9)
    return buffer.getvalue()
