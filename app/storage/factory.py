"""The one place that turns settings into a file store: RAILCLAIM_STORAGE_URL picks the backend."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from app.config import Settings
from app.storage.base import FileStore
from app.storage.local import LocalFileStore

if TYPE_CHECKING:
    from app.storage.s3 import S3Location


class StorageUrlError(ValueError):
    """RAILCLAIM_STORAGE_URL names no store this service can use; startup stops on it."""


def make_store(settings: Settings) -> FileStore:
    if settings.storage_url is None:
        return LocalFileStore(settings.storage_dir)
    parts = urlsplit(settings.storage_url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise StorageUrlError("a file storage URL names an absolute path: file:///srv/files")
        return LocalFileStore(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        # Imported here: a service on a local folder never loads boto3 (~0.6 s to import here).
        from app.storage.s3 import S3FileStore

        return S3FileStore(s3_location(settings, parts.netloc, parts.path))
    raise StorageUrlError(
        f"RAILCLAIM_STORAGE_URL must start with file:// or s3://, not {parts.scheme or '(none)'}:"
    )


def s3_location(settings: Settings, bucket: str, path: str) -> S3Location:
    if not bucket:
        raise StorageUrlError("an S3 storage URL names its bucket: s3://bucket/prefix")
    if (settings.s3_access_key is None) != (settings.s3_secret_key is None):
        raise StorageUrlError("RAILCLAIM_S3_ACCESS_KEY and RAILCLAIM_S3_SECRET_KEY go together")
    from app.storage.s3 import S3Location

    return S3Location(
        bucket=bucket,
        prefix=unquote(path).strip("/"),
        endpoint_url=settings.s3_endpoint_url,
        access_key=_secret(settings.s3_access_key),
        secret_key=_secret(settings.s3_secret_key),
        region=settings.s3_region,
    )


def _secret(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()
