"""The export's read-ahead: order kept, large files left to the writer, missing files named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.archive import prefetch
from app.archive.prefetch import Wanted, read_ahead
from app.storage import LocalFileStore


def test_files_come_back_in_order_with_their_hashes(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    blobs = [f"file {n}".encode() * (n + 1) for n in range(40)]  # more than AHEAD of them
    hashes = [store.put(blob) for blob in blobs]
    fetched = list(
        read_ahead(store, (Wanted(h, len(b)) for h, b in zip(hashes, blobs, strict=True)))
    )
    assert [f.data for f in fetched] == blobs
    assert [f.actual_sha256 for f in fetched] == [hashlib.sha256(b).hexdigest() for b in blobs]


def test_a_large_file_is_left_to_the_writer_and_a_missing_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefetch, "SMALL_FILE", 100)
    store = LocalFileStore(tmp_path)
    small, large = store.put(b"x" * 10), store.put(b"y" * 1000)
    absent = hashlib.sha256(b"never stored").hexdigest()
    lying = store.put(b"z" * 500)  # its row says 50 bytes: the budget holds by the real size
    wanted = [Wanted(small, 10), Wanted(large, 1000), Wanted(absent, 5), Wanted(lying, 50)]
    got = list(read_ahead(store, wanted))
    assert got[0].data == b"x" * 10
    assert (got[1].data, got[1].missing) == (None, False)
    assert (got[2].data, got[2].missing) == (None, True)
    assert (got[3].data, got[3].missing) == (None, False)
