"""The two docs pages and the static mount of their assets, each page with its own CSP.

The assets come from the `fastapi-offline` distribution (Swagger UI 5 and ReDoc 2 dist files,
installed from PyPI with the app), plus our own start-up script. Swagger UI then runs under
the app's policy unchanged. ReDoc writes its styles into <style> elements at run time (styled
components), so its page allows styles carrying a per-response nonce, which redoc-nonce.js puts
on each <style> the bundle creates; scripts stay 'self' on both pages.
"""

from __future__ import annotations

import html
import secrets

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/static/apidocs"
_ASSET_PACKAGES: list[str | tuple[str, str]] = [
    ("fastapi_offline", "static"),
    ("app.apidocs", "static"),
]

DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'self'; "
    "base-uri 'self'; form-action 'self'"
)

_SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Swagger UI</title>
<link rel="icon" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

_REDOC_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – ReDoc</title>
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<div id="redoc" data-openapi-url="{openapi_url}" nonce="{nonce}"></div>
<script src="{assets}/redoc-nonce.js"></script>
<script src="{assets}/redoc.standalone.js"></script>
<script src="{assets}/redoc-init.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI) -> None:
    """Call before the web's /static mount, which would otherwise answer for these assets."""
    app.mount(ASSETS, StaticFiles(packages=_ASSET_PACKAGES), name="apidocs")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        page = _SWAGGER_PAGE.format(**_page_values(app, request, openapi_url))
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_POLICY})

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        nonce = secrets.token_urlsafe(18)
        page = _REDOC_PAGE.format(nonce=nonce, **_page_values(app, request, openapi_url))
        policy = DOCS_POLICY.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")
        # ReDoc's search runs in a worker it starts from a blob: URL.
        policy += "; worker-src 'self' blob:"
        return HTMLResponse(page, headers={"Content-Security-Policy": policy})


def _page_values(app: FastAPI, request: Request, openapi_url: str) -> dict[str, str]:
    root = request.scope.get("root_path", "")
    return {
        "title": html.escape(app.title),
        "assets": html.escape(root + ASSETS),
        "openapi_url": html.escape(root + openapi_url),
    }
