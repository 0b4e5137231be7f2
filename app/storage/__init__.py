"""Content-addressed, immutable storage of original files behind a small interface."""

from app.storage.base import FileStore, StoredFile
from app.storage.local import LocalFileStore

__all__ = ["FileStore", "LocalFileStore", "StoredFile"]
