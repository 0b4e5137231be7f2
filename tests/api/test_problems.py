"""Every error is RFC 9457 problem+json: framework 404/405/422, opaque 500s, problem pages."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


def assert_problem_shape(response_json: dict[str, object], status: int) -> None:
    assert response_json["status"] == status
    assert str(response_json["type"]).startswith("/problems/")
    assert response_json["title"]


def test_unknown_route_is_a_404_problem(client: TestClient):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert_problem_shape(response.json(), 404)


def test_wrong_method_is_a_405_problem(client: TestClient):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["type"] == "/problems/method-not-allowed"


def test_malformed_form_login_is_a_422_problem(client: TestClient):
    response = client.post("/api/v1/auth/token", data={"username": "only"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


def test_crash_is_an_opaque_500_with_request_id(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
):
    def explode() -> None:
        raise RuntimeError("secret internals: /etc/passwd")

    app.add_api_route("/boom", explode)
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert_problem_shape(body, 500)
    assert body["type"] == "/problems/internal-error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"]
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == body["request_id"]]
    # The access line carries the id too; the error line is the one with the traceback.
    assert any(r.exc_info is not None for r in logged), "the 500 is logged under its request id"


def test_request_id_is_echoed_and_sane_ones_are_kept(client: TestClient):
    kept = client.get("/healthz", headers={"X-Request-ID": "abc12345-trace"})
    assert kept.headers["x-request-id"] == "abc12345-trace"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert replaced.headers["x-request-id"] != "bad id\nwith newline"


def test_problem_types_have_pages(client: TestClient):
    page = client.get("/problems/validation-error")
    assert page.status_code == 200
    assert "not valid" in page.text
    assert client.get("/problems/no-such-thing").status_code == 404


def test_the_renamed_railway_refusal_page_points_to_the_travel_one(client: TestClient):
    old = client.get("/problems/not-a-railway-invoice")
    assert old.status_code == 200
    assert "href='/problems/not-a-travel-invoice'" in old.text
    new = client.get("/problems/not-a-travel-invoice")
    assert new.status_code == 200
    assert "航空运输电子客票行程单" in new.text


def test_ops_endpoints(client: TestClient):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "storage": True}
    client.get("/healthz")
    metrics = client.get("/metrics").text
    assert 'railclaim_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics
    assert "railclaim_http_request_duration_seconds_bucket" in metrics


def test_a_locked_sqlite_database_is_a_503_busy_problem(app: FastAPI, client: TestClient):
    from sqlalchemy.exc import OperationalError

    def locked() -> None:
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    def other() -> None:
        raise OperationalError("SELECT 1", {}, Exception("no such table: x"))

    app.add_api_route("/locked", locked)
    app.add_api_route("/other", other)
    busy = client.get("/locked")
    assert busy.status_code == 503
    assert busy.json()["type"] == "/problems/busy"
    assert busy.headers["retry-after"] == "1"
    broken = client.get("/other")
    assert broken.status_code == 500
    assert broken.json()["type"] == "/problems/internal-error"
