"""Local-folder file store: atomic, durable writes (temp file, fsync, rename), never overwritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.storage.base import StoredFile
from app.storage.keys import check_sha256, relative_key, sha256_of_key


class LocalFileStore:
    """Files live at `<root>/<sha[:2]>/<sha[2:4]>/<sha>`, read-only once written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / relative_key(check_sha256(sha256))

    def put(self, data: bytes) -> str:
        """Writes a temp file, fsyncs it, renames it into place and fsyncs the folder.

        Every upload pays this twice (the original and its XBRL), so it makes the fewest system
        calls that keep the guarantee: folders are made only when a write finds one missing,
        and the temp file is created read-only in one call (no mkstemp name loop, no chmod).
        """
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        tmp_name = self._write_temp(sha256, data)
        try:
            try:
                # rename is atomic: readers see nothing or the whole file, never a torn one.
                os.replace(tmp_name, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return sha256

    def _write_temp(self, sha256: str, data: bytes) -> str:
        """A durable, read-only temp file of `data` in the store's tmp folder; its name."""
        name = f"{self._tmp}/{sha256[:8]}.{secrets.token_hex(8)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(name, flags, 0o444)
        except FileNotFoundError:
            self._tmp.mkdir(parents=True, exist_ok=True)
            fd = os.open(name, flags, 0o444)
        try:
            with memoryview(data) as view:
                written = 0
                while written < len(view):
                    written += os.write(fd, view[written:])
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(name)
            raise
        os.close(fd)
        return name

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def iter_files(self) -> Iterator[StoredFile]:
        if not self.root.exists():
            return
        for path in self.root.glob("??/??/*"):
            relative = path.relative_to(self.root).as_posix()
            if sha256_of_key(relative) is not None and path.is_file():
                stat = path.stat()
                yield StoredFile(
                    sha256=path.name,
                    size=stat.st_size,
                    modified_at=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC),
                )

    def remove_unreferenced(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def is_ready(self) -> bool:
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self._tmp, prefix=".ready-")
            os.close(fd)
            os.unlink(name)
        except OSError:
            return False
        return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
