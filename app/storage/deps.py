"""The file store as a FastAPI dependency: the one `create_app` put on the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.storage.base import FileStore


async def get_store(request: Request) -> FileStore:
    store: FileStore = request.app.state.store
    return store


StoreDep = Annotated[FileStore, Depends(get_store)]
