"""The two file store backends as test parameters, and how a test damages a stored file in each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import Settings
from app.storage import FileStore, LocalFileStore
from app.storage.s3 import S3FileStore

BACKENDS = ["local", "s3"]


def make_backend_store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "local":
        return LocalFileStore(tmp_path / "storage")
    store: FileStore = request.getfixturevalue("seaweed").store()
    return store


def backend_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """The test's settings, with the files in SeaweedFS when the parameter says s3."""
    if request.param == "local":
        return settings
    updated: Settings = request.getfixturevalue("seaweed").settings_for(settings)
    return updated


def overwrite_stored(store: FileStore, sha256: str, data: bytes) -> None:
    """What a disk fault or an intruder with write access does; the store's API never does it."""
    if isinstance(store, LocalFileStore):
        path = store.path_for(sha256)
        os.chmod(path, 0o644)  # stored files are read-only (0444)
        path.write_bytes(data)
        return
    assert isinstance(store, S3FileStore)
    store._client.put_object(Bucket=store.bucket, Key=store.key_for(sha256), Body=data)
