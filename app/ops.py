"""Operational endpoints: liveness, readiness, Prometheus metrics and the problem type pages."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import text

from app.middleware import metrics_content
from app.problems import CATALOGUE, RENAMED, NotFound
from app.storage import FileStore

router = APIRouter(tags=["ops"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is not ready"}})
def readyz(request: Request) -> JSONResponse:
    store: FileStore = request.app.state.store
    checks: dict[str, Any] = {"database": _database_ok(request), "storage": store.is_ready()}
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # readiness reports any failure as "not ready" rather than crashing
        return False


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    body, content_type = metrics_content()
    return Response(body, media_type=content_type)


@router.get("/problems/{slug}", response_class=HTMLResponse)
def problem_page(slug: str) -> HTMLResponse:
    if slug not in CATALOGUE:
        raise NotFound("No such problem type.")
    title, explanation = CATALOGUE[slug]
    renamed = html.escape(RENAMED.get(slug, ""))
    link = f"<p><a href='/problems/{renamed}'>{renamed}</a></p>" if renamed else ""
    body = (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><p><code>/problems/{html.escape(slug)}</code></p>"
        f"<p>{html.escape(explanation)}</p>{link}</html>"
    )
    return HTMLResponse(body)
