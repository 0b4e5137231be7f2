"""S3-compatible object store: the local store's layout as keys under `<bucket>/<prefix>/`."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.storage.base import StoredFile
from app.storage.keys import check_sha256, relative_key, sha256_of_key

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import GetObjectOutputTypeDef

# Codes an S3 server answers for "no such object" (GET says NoSuchKey, HEAD only its status).
_MISSING = {"NoSuchKey", "404", "NotFound"}
_READ_BUFFER = 1024 * 1024


@dataclass(frozen=True, slots=True)
class S3Location:
    bucket: str
    prefix: str  # without slashes at either end; "" for the bucket's root
    endpoint_url: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    region: str | None = None


def make_client(location: S3Location) -> S3Client:
    """One client per store: boto3 clients are thread-safe, its default session is not."""
    config = Config(
        # Path-style URLs for self-hosted servers (SeaweedFS, MinIO, Ceph); AWS picks for itself.
        s3={"addressing_style": "path" if location.endpoint_url else "auto"},
        retries={"mode": "standard", "max_attempts": 5},
        connect_timeout=5,
        read_timeout=60,
        # Uploads write their renditions from a thread pool and uvicorn runs 40 request threads.
        max_pool_connections=64,
    )
    client: S3Client = boto3.session.Session().client(
        "s3",
        endpoint_url=location.endpoint_url,
        # None falls back to boto3's own chain (AWS_* variables, instance or pod roles).
        aws_access_key_id=location.access_key,
        aws_secret_access_key=location.secret_key,
        region_name=location.region or "us-east-1",
        config=config,
    )
    return client


class S3FileStore:
    """Objects at `<prefix>/<sha[:2]>/<sha[2:4]>/<sha>`, created once and never overwritten."""

    def __init__(self, location: S3Location, client: S3Client | None = None) -> None:
        self.location = location
        self.bucket = location.bucket
        self._prefix = f"{location.prefix}/" if location.prefix else ""
        self._client = client or make_client(location)

    def key_for(self, sha256: str) -> str:
        return self._prefix + relative_key(check_sha256(sha256))

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data)
        sha256 = digest.hexdigest()
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=self.key_for(sha256),
                Body=data,
                # The server refuses bytes that do not hash to the address (BadDigest): a torn
                # or altered upload never becomes the object.
                ChecksumSHA256=base64.b64encode(digest.digest()).decode("ascii"),
                # Stored objects are never modified: an existing one is kept as it is.
                IfNoneMatch="*",
            )
        except ClientError as error:
            if _code(error) not in {"PreconditionFailed", "412"}:
                raise
        # PUT answers only once the server holds the whole object: the row may commit now.
        return sha256

    def get(self, sha256: str) -> bytes:
        with self.open(sha256) as handle:
            return handle.read()

    def open(self, sha256: str) -> BinaryIO:
        key = self.key_for(sha256)
        response = self.fetch(key, None)
        raw = _ObjectReader(self, key, response)
        return io.BufferedReader(raw, buffer_size=_READ_BUFFER)

    def exists(self, sha256: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except ClientError as error:
            if _code(error) in _MISSING:
                return False
            raise
        return True

    def iter_files(self) -> Iterator[StoredFile]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                sha256 = sha256_of_key(item["Key"][len(self._prefix) :])
                if sha256 is not None:
                    yield StoredFile(sha256, item["Size"], item["LastModified"])

    def remove_unreferenced(self, sha256: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self.key_for(sha256))

    def is_ready(self) -> bool:
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError):  # BotoCoreError: unreachable, timeout, no keys
            return False
        return True

    def fetch(self, key: str, start: int | None) -> GetObjectOutputTypeDef:
        try:
            if start is None:
                return self._client.get_object(Bucket=self.bucket, Key=key)
            return self._client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes={start}-")
        except ClientError as error:
            if _code(error) in _MISSING:
                # The local store's exception, so callers above the interface need not know S3.
                raise FileNotFoundError(f"{self.bucket}/{key}") from error
            raise


class _ObjectReader(io.RawIOBase):
    """Reads an object as a stream: the body of one GET, another ranged GET after a seek."""

    def __init__(self, store: S3FileStore, key: str, response: GetObjectOutputTypeDef) -> None:
        self._store = store
        self._key = key
        self._body: GetObjectOutputTypeDef | None = response
        self._size = response["ContentLength"]
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._position >= self._size:
            return 0
        if self._body is None:
            self._body = self._store.fetch(self._key, self._position)
        view = memoryview(buffer).cast("B")
        chunk = self._body["Body"].read(len(view))
        view[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        target = max(base + offset, 0)
        if target != self._position:
            self._release()
            self._position = target
        return self._position

    def close(self) -> None:
        self._release()
        super().close()

    def _release(self) -> None:
        if self._body is not None:
            self._body["Body"].close()
            self._body = None


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
