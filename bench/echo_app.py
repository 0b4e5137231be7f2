"""A bare FastAPI multipart endpoint: the floor an upload costs before any railclaim work.

    .venv/bin/python -m uvicorn bench.echo_app:app --port 8100

Reads the `file` part like POST /api/v1/invoices does (python-multipart, `UploadFile`, a sync
handler in the thread pool) and answers a small JSON body, so `bench/upload_bench.py` can show
how much of an upload's latency is HTTP and multipart alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, File, UploadFile

app = FastAPI(title="multipart echo")


@app.post("/echo", status_code=201)
def echo(file: Annotated[UploadFile, File()]) -> dict[str, object]:
    data = file.file.read()
    return {"filename": file.filename, "size": len(data)}


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
