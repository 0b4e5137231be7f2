"""Issue 16: /docs and /redoc work offline: every script, style and icon they load is served by
the app itself from the packaged distribution, and each page runs under a CSP without inline
script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

# Every URL a page can load from: src, href, spec-url and data-*-url attributes.
_URL_ATTRIBUTE = re.compile(r'\b(?:src|href|spec-url|data-[a-z-]+-url)="([^"]*)"')
_ASSET_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
}


@pytest.fixture(scope="module")
def docs_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("docs")
    app = create_app(Settings(database_url=f"sqlite:///{folder}/x.db", environment="test"))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()
    app.state.read_engine.dispose()


def page_urls(html: str) -> list[str]:
    return _URL_ATTRIBUTE.findall(html)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_page_loads_only_what_the_app_serves(docs_client: TestClient, path: str):
    response = docs_client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert "http://" not in html
    assert "https://" not in html
    urls = page_urls(html)
    assert "/openapi.json" in urls
    assets = [url for url in urls if url != "/openapi.json"]
    assert len(assets) >= 2, urls  # at least a script and an icon or stylesheet
    for url in assets:
        assert url.startswith("/static/apidocs/"), url  # not "//cdn…" either
        asset = docs_client.get(url)
        assert asset.status_code == 200, url
        media_type = asset.headers["content-type"].split(";")[0]
        assert media_type == _ASSET_TYPES[Path(url).suffix], url
        assert len(asset.content) > 0
    # Scripts come only from files: no inline script the CSP would have to allow.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_the_packaged_bundles_are_the_real_ones(docs_client: TestClient):
    swagger = docs_client.get("/static/apidocs/swagger-ui-bundle.js")
    assert b"SwaggerUIBundle" in swagger.content
    assert len(swagger.content) > 500_000
    redoc = docs_client.get("/static/apidocs/redoc.standalone.js")
    assert b"Redoc" in redoc.content
    assert len(redoc.content) > 500_000
    init = docs_client.get("/static/apidocs/swagger-init.js")
    assert b"SwaggerUIBundle(" in init.content
    assert b"Redoc.init(" in docs_client.get("/static/apidocs/redoc-init.js").content
    assert docs_client.get("/static/apidocs/missing.js").status_code == 404


def test_swagger_ui_runs_under_the_apps_policy(docs_client: TestClient):
    policy = directives(docs_client.get("/docs").headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_redoc_styles_need_the_page_nonce_and_nothing_else(docs_client: TestClient):
    first, second = docs_client.get("/redoc"), docs_client.get("/redoc")
    policy = directives(first.headers["content-security-policy"])
    [nonce] = re.findall(r'<div id="redoc" [^>]*nonce="([^"]+)"', first.text)
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in first.headers["content-security-policy"]
    assert re.findall(r'nonce="([^"]+)"', second.text) != [nonce]  # fresh per response


def test_the_docs_stay_out_of_the_schema(docs_client: TestClient):
    paths = docs_client.get("/openapi.json").json()["paths"]
    assert "/docs" not in paths
    assert "/redoc" not in paths
