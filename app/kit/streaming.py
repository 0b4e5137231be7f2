"""Downloads streamed from their own read session, which lives exactly as long as the body."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session


def streamed_download(
    request: Request,
    chunks: Callable[[Session], Iterable[bytes]],
    *,
    filename: str,
    media_type: str,
) -> StreamingResponse:
    """An attachment whose bytes `chunks` reads through a session on the app's read engine.

    The request's own session is finished before the body streams, so the body gets a session
    of its own, opened now and closed when the last byte (or the client) is gone.
    """
    read_session = Session(request.app.state.read_engine)

    def body() -> Iterator[bytes]:
        try:
            yield from chunks(read_session)
        finally:
            read_session.close()

    disposition = f'attachment; filename="{filename}"'
    return StreamingResponse(
        body(), media_type=media_type, headers={"Content-Disposition": disposition}
    )
