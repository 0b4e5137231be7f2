"""What the service writes to its log, at DEBUG, holds no secret and no ID number.

A whole working day runs against an app logging JSON at DEBUG: logins through the API and the
web form (one with a wrong password), an upload, an API token, a claim submitted, approved and
booked, a search and a path carrying ID numbers, and a crash whose message quotes one. The
log's own handler writes into a buffer, so what is checked is exactly what reaches stderr.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.invoices import queries
from app.main import create_app
from railclaim_devkit.synthetic import render_pdf
from tests.factories import PASSWORD, invoice_spec, make_entity, make_user
from tests.web.helpers import login as web_login

FULL_ID = "110101199003071234"
MASKED_ID = "1101011990****1234"
WRONG_PASSWORD = "not-the-password-7f3a"
ID_SHAPES = (
    re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])"),  # a full ID number
    re.compile(r"[0-9]{6,10}\*{4,8}[0-9]{3}[0-9Xx*]"),  # a masked one, as on tickets
)
TOKEN_SHAPE = re.compile(r"rc_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def log_buffer() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    yield buffer
    logging.getLogger().handlers.clear()


@pytest.fixture
def verbose_client(settings: Settings, log_buffer: io.StringIO) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"log_json": True, "log_level": "DEBUG"}))
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(log_buffer)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.engine.dispose()
    app.state.read_engine.dispose()


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _working_day(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Runs the day; returns the secrets it handled (passwords and token plaintexts)."""
    entity = make_entity(session)
    manager = make_user(session, "approver", entity=entity)
    employee = make_user(
        session, "employee", entity=entity, passenger_name="张三", id_last4="1234", manager=manager
    )
    finance = make_user(session, "finance", entity=entity)
    failed = client.post(
        "/api/v1/auth/token", data={"username": employee.username, "password": WRONG_PASSWORD}
    )
    assert failed.status_code == 401
    headers = _token(client, employee.username)
    secrets = [PASSWORD, WRONG_PASSWORD, headers["Authorization"].removeprefix("Bearer ")]
    spec = invoice_spec(entity, passenger=employee, session=session, passenger_id_masked=MASKED_ID)
    upload = client.post(
        "/api/v1/invoices", files={"file": ("票.pdf", render_pdf(spec))}, headers=headers
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["passenger_id_masked"] == MASKED_ID
    api_token = client.post("/api/v1/tokens", json={"name": "erp"}, headers=headers)
    secrets.append(api_token.json()["token"])
    claim = client.post(
        "/api/v1/claims",
        json={"title": "出差", "purpose": "拜访", "items": [{"invoice_id": upload.json()["id"]}]},
        headers=headers,
    ).json()
    steps = (
        ("submit", headers, None),
        ("approve", _token(client, manager.username), {"acknowledge_warnings": True}),
        ("book", _token(client, finance.username), None),
    )
    for action, who, body in steps:
        done = client.post(f"/api/v1/claims/{claim['id']}/{action}", json=body, headers=who)
        assert done.status_code == 200, done.text
    assert client.get(f"/api/v1/invoices/{FULL_ID}", headers=headers).status_code == 422
    assert client.get("/api/v1/invoices", params={"q": MASKED_ID}, headers=headers).is_success
    assert web_login(client, employee).status_code == 303

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"duplicate key (passenger_id)=({FULL_ID}) masked {MASKED_ID}")

    monkeypatch.setattr(queries, "list_invoices", crash)
    assert client.get("/api/v1/invoices", headers=headers).status_code == 500
    return secrets


def test_logs_hold_no_secrets_and_no_id_numbers(
    verbose_client: TestClient,
    session: Session,
    log_buffer: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets = _working_day(verbose_client, session, monkeypatch)
    lines = log_buffer.getvalue().splitlines()
    # The day was logged, the odd path and the crash with its traceback included.
    assert any('"path": "/api/v1/claims/' in line for line in lines)
    assert any('"path": "/api/v1/invoices/[id-redacted]"' in line for line in lines)
    assert any("RuntimeError" in line and "[id-redacted]" in line for line in lines)
    leaks = [
        line
        for line in lines
        if any(secret in line for secret in secrets)
        or TOKEN_SHAPE.search(line)
        or any(shape.search(line) for shape in ID_SHAPES)
    ]
    assert not leaks, "\n".join(leak[:300] for leak in leaks[:10])
