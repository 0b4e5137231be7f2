"""What every file store promises, run against the local folder and a real SeaweedFS bucket.

Content addressing, idempotent puts, streamed and seekable reads, listing for gc, removal,
FileNotFoundError for a missing file and ValueError for a name that is no SHA-256.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from app.config import Settings
from app.storage import FileStore, LocalFileStore
from app.storage.factory import StorageUrlError, make_store
from app.storage.s3 import S3FileStore
from tests.seaweed import Seaweed
from tests.storage.backends import BACKENDS, make_backend_store, overwrite_stored

MISSING = "0" * 64


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    return make_backend_store(request, tmp_path)


def test_put_is_content_addressed_idempotent_and_listed(store: FileStore):
    data = b"%PDF-1.7 example"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha
    assert store.get(sha) == data
    assert store.exists(sha)
    listed = list(store.iter_files())
    assert [(f.sha256, f.size) for f in listed] == [(sha, len(data))]
    age = dt.datetime.now(dt.UTC) - listed[0].modified_at
    assert dt.timedelta(minutes=-5) < age < dt.timedelta(minutes=5)


def test_a_stored_file_is_never_overwritten(store: FileStore):
    sha = store.put(b"original bytes")
    overwrite_stored(store, sha, b"tampered bytes")
    # A second put of the original finds the address taken and leaves it alone, like the local
    # store, so a damaged file stays visible to verify instead of being silently repaired.
    assert store.put(b"original bytes") == sha
    assert store.get(sha) == b"tampered bytes"


def test_a_missing_file_raises_file_not_found_from_get_and_open(store: FileStore):
    assert not store.exists(MISSING)
    with pytest.raises(FileNotFoundError):
        store.get(MISSING)
    with pytest.raises(FileNotFoundError):
        store.open(MISSING)


@pytest.mark.parametrize("bad", ["", "../etc/passwd", "A" * 64, "0" * 63, "0" * 64 + "/x"])
def test_only_sha256_names_are_addressable(store: FileStore, bad: str):
    for operation in (store.get, store.open, store.exists, store.remove_unreferenced):
        with pytest.raises(ValueError, match="SHA-256"):
            operation(bad)


def test_remove_unreferenced_deletes_and_tolerates_a_second_call(store: FileStore):
    keep, drop = store.put(b"kept"), store.put(b"dropped")
    store.remove_unreferenced(drop)
    store.remove_unreferenced(drop)
    assert not store.exists(drop)
    assert [f.sha256 for f in store.iter_files()] == [keep]
    with pytest.raises(FileNotFoundError):
        store.get(drop)


def test_open_streams_in_chunks_and_seeks(store: FileStore):
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = store.put(data)
    with store.open(sha) as handle:
        assert handle.read(5) == data[:5]
        assert handle.seek(0, io.SEEK_END) == len(data)  # how the archive learns a file's size
        handle.seek(1024 * 1024)
        assert handle.read(10) == data[1024 * 1024 : 1024 * 1024 + 10]
        handle.seek(0)
        digest = hashlib.sha256()
        while chunk := handle.read(256 * 1024):
            digest.update(chunk)
    assert digest.hexdigest() == sha


def test_reading_a_big_file_through_open_holds_a_small_part_of_it(store: FileStore):
    """Export and verify stream through `open`: memory stays far below the file's size."""
    data = os.urandom(24 * 1024 * 1024)
    sha = store.put(data)
    del data
    tracemalloc.start()
    try:
        digest = hashlib.sha256()
        with store.open(sha) as handle:
            while chunk := handle.read(64 * 1024):
                digest.update(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == sha
    assert peak < 6 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while streaming 24 MiB"


def test_is_ready_when_writable(store: FileStore):
    assert store.is_ready()


def test_stores_are_isolated_by_prefix(seaweed: Seaweed):
    first, second = seaweed.store(), seaweed.store()
    sha = first.put(b"only in the first")
    assert second.exists(sha) is False
    assert list(second.iter_files()) == []


def test_a_wrong_secret_is_refused_and_nothing_is_stored(seaweed: Seaweed):
    good = seaweed.store()
    location = good.location
    intruder = S3FileStore(dataclasses.replace(location, secret_key="wrong"))
    assert not intruder.is_ready()
    with pytest.raises(ClientError, match=r"SignatureDoesNotMatch|AccessDenied"):
        intruder.put(b"bytes")
    assert list(good.iter_files()) == []


def test_an_unreachable_bucket_is_not_ready(seaweed: Seaweed):
    location = seaweed.location("x")
    dead = S3FileStore(dataclasses.replace(location, endpoint_url="http://127.0.0.1:9"))
    assert dead.is_ready() is False


def test_the_factory_picks_the_backend_from_the_url(tmp_path: Path, seaweed: Seaweed):
    base = Settings(storage_dir=tmp_path / "dir")
    assert isinstance(make_store(base), LocalFileStore)
    assert make_store(base).root == tmp_path / "dir"  # type: ignore[attr-defined]
    local = make_store(base.model_copy(update={"storage_url": f"file://{tmp_path}/url"}))
    assert isinstance(local, LocalFileStore)
    assert local.root == tmp_path / "url"
    s3 = make_store(seaweed.settings_for(base))
    assert isinstance(s3, S3FileStore)
    assert s3.bucket == "railclaim-tests"
    assert s3.key_for(MISSING).endswith(f"/00/00/{MISSING}")


@pytest.mark.parametrize(
    "url",
    ["ftp://host/x", "s3:///prefix-without-bucket", "file://relative/path", "/just/a/path"],
)
def test_a_storage_url_the_service_cannot_use_stops_it(url: str):
    with pytest.raises(StorageUrlError):
        make_store(Settings(storage_url=url))
