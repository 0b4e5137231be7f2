"""Every route × role × ownership gets the status SPEC's visibility and role rules demand.

The routes come from the app itself; one missing from `API_MATRIX` or `WEB_MATRIX` fails the
enumeration test, so an endpoint cannot be added without deciding who may call it. One world per
engine serves every cell; the mismatches of a whole run are reported together as a table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests import databases
from tests.api.authz_rules import (
    ANY,
    API_MATRIX,
    CREDENTIAL_ROUTES,
    PUBLIC,
    ROLES,
    Outcome,
    Rule,
    applies,
    expected,
    gate_refuses,
    owner_for,
    resolve_path,
)
from tests.api.authz_web import WEB_MATRIX, run_web_matrix
from tests.api.authz_world import ACTORS, World, build_world

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route, walking included routers (FastAPI ≥ 0.165 wraps them)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for route in routes:
            candidates = getattr(route, "effective_candidates", None)
            if callable(candidates):
                walk(candidates())
                continue
            path = getattr(route, "path", None)
            for method in getattr(route, "methods", None) or ["MOUNT"]:
                if method != "HEAD" and isinstance(path, str):
                    found.add((method, path))

    walk(list(app.routes))
    return found


def test_every_route_is_in_the_matrix(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db", environment="test"))
    routes = app_routes(app)
    # The walk must see the API itself, or a broken walk would pass vacuously.
    assert ("POST", "/api/v1/claims/{claim_id}/approve") in routes
    assert ("GET", "/finance/unassigned") in routes
    openapi_routes = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert openapi_routes <= routes, openapi_routes - routes
    listed = set(API_MATRIX) | set(WEB_MATRIX)
    unlisted = sorted(routes - listed)
    assert not unlisted, f"routes without an access decision in the matrix: {unlisted}"
    stale = sorted(listed - routes)
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def test_auditors_never_write() -> None:
    for (method, path), rule in API_MATRIX.items():
        if method not in UNSAFE or (method, path) in CREDENTIAL_ROUTES:
            continue
        assert rule.roles not in (ANY, PUBLIC), (method, path)
        assert expected(rule, "auditor", "own") == 403, (method, path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[World]:
    workdir = tmp_path_factory.mktemp("matrix")
    pg_name = None
    if request.param == "sqlite":
        url = databases.clone_sqlite(sqlite_template, workdir / "matrix.db")
    else:
        pg_name = databases.unique_name("rc_mx")
        url = databases.create_pg_database(pg_name, template=request.getfixturevalue("pg_template"))
    settings = Settings(
        database_url=url, storage_dir=workdir / "storage", environment="test", log_json=False
    )
    app = create_app(settings)
    engine = make_engine(url, sqlite_immediate=False)
    with (
        TestClient(app, raise_server_exceptions=False) as client,
        Session(engine, expire_on_commit=False) as session,
    ):
        yield build_world(client, session)
    engine.dispose()
    app.state.engine.dispose()
    app.state.read_engine.dispose()
    if pg_name:
        databases.drop_pg_database(pg_name)


def matches(outcome: Outcome, response: Response, rule: Rule) -> bool:
    problem = response.headers.get("content-type", "").startswith("application/problem+json")
    if outcome == "ok":
        settled = problem and response.json().get("type", "").removeprefix("/problems/")
        return 200 <= response.status_code < 300 or settled in rule.also_ok
    if outcome == 404:
        return response.status_code == 404 and problem and "not-found" in response.text
    return response.status_code == outcome and problem


def cell_axis(rule: Rule, role: str) -> list[str]:
    """The ownerships to try: all that apply, or one when the role gate refuses before any
    object is looked at (every id is then one of nothing, so the cells would be the same)."""
    axis = [ownership for ownership in rule.axis if applies(rule, role, ownership)]
    return axis[:1] if gate_refuses(rule, role) else axis


def run_cell(w: World, method: str, path: str, rule: Rule, role: str, ownership: str) -> Response:
    w.start_cell(phantom=gate_refuses(rule, role))
    concrete, params = resolve_path(w, rule, path, role, ownership)
    kwargs = rule.body(w, owner_for(role, ownership)) if rule.body else {}
    kwargs["params"] = {**kwargs.get("params", {}), **params}
    if role == "anonymous":
        headers: dict[str, str] = {}
    elif rule.fresh_credentials:
        headers = w.token_for(ACTORS[role], kind="api" if role == "service" else "session")
    else:
        headers = w.headers[ACTORS[role]]
    response: Response = w.client.request(method, concrete, headers=headers, **kwargs)
    if method in UNSAFE and 200 <= response.status_code < 300:
        w.consume_used()
    return response


def test_api_matrix(world: World) -> None:
    mismatches: list[str] = []
    cells = 0
    for (method, path), rule in sorted(API_MATRIX.items(), key=lambda kv: kv[0][1]):
        for role in ROLES:
            for ownership in cell_axis(rule, role):
                outcome = expected(rule, role, ownership)
                response = run_cell(world, method, path, rule, role, ownership)
                cells += 1
                if not matches(outcome, response, rule):
                    mismatches.append(
                        f"{method} {path} as {role}/{ownership}: expected {outcome}, "
                        f"got {response.status_code} {response.text[:160]}"
                    )
    assert cells > 350
    assert not mismatches, f"{len(mismatches)} of {cells} cells differ:\n" + "\n".join(mismatches)


# The pages call the API's own services, whose queries the API matrix runs on both engines.
@pytest.mark.parametrize("world", ["sqlite"], indirect=True)
def test_web_matrix(world: World) -> None:
    mismatches, cells = run_web_matrix(world)
    assert cells > 100
    assert not mismatches, f"{len(mismatches)} of {cells} cells differ:\n" + "\n".join(mismatches)
