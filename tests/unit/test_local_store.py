"""The local file store: content-addressed, idempotent, read-only files, no temp leftovers."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.storage import LocalFileStore


def test_put_is_content_addressed_and_idempotent(tmp_path: Path):
    store = LocalFileStore(tmp_path)
    data = b"%PDF-1.7 example"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha
    assert store.get(sha) == data
    assert store.exists(sha)
    path = store.path_for(sha)
    assert path.parent.parent.name == sha[:2]
    assert oct(path.stat().st_mode & 0o777) == oct(0o444)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert [f.sha256 for f in store.iter_files()] == [sha]


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = LocalFileStore(tmp_path)

    def broken_fsync(_fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put(b"data")
    monkeypatch.undo()
    assert list(store.iter_files()) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "A" * 64, "0" * 63])
def test_only_sha256_names_are_addressable(tmp_path: Path, bad: str):
    with pytest.raises(ValueError, match="SHA-256"):
        LocalFileStore(tmp_path).path_for(bad)
