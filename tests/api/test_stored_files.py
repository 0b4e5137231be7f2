"""Downloads never serve bytes whose hash differs from the recorded one (issue 15.8).

A damaged stored original was served with its recorded ETag (200); a deleted one answered an
untyped 500. Both are now typed problems, logged at ERROR and counted in /metrics.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from railclaim_devkit.synthetic import render_pdf
from tests.claims_support import paper_body
from tests.factories import bearer, invoice_spec, make_employee, make_entity
from tests.web.helpers import HTML, login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _stored_path(settings: Settings, sha256: str) -> Path:
    return settings.storage_dir / sha256[:2] / sha256[2:4] / sha256


def _damage(path: Path) -> None:
    path.chmod(0o644)  # the store writes originals read-only; the attacker does not care
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _failures(client: TestClient, problem: str) -> float:
    metrics = client.get("/metrics").text
    pattern = rf'^railclaim_stored_file_failures_total\{{problem="{problem}"\}} (\S+)$'
    match = re.search(pattern, metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


@pytest.fixture
def uploaded(client: TestClient, session: Session):
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    pdf = render_pdf(invoice_spec(entity, passenger=employee, session=session))
    body = client.post("/api/v1/invoices", files={"file": ("t.pdf", pdf)}, headers=headers).json()
    return employee, headers, body


@pytest.mark.parametrize(
    ("problem", "spoil"),
    [("damaged", _damage), ("missing", Path.unlink)],
    ids=["damaged", "missing"],
)
def test_a_spoiled_original_is_a_typed_problem_logged_and_counted(
    client: TestClient,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    uploaded,
    problem: str,
    spoil,
) -> None:
    employee, headers, body = uploaded
    spoil(_stored_path(settings, body["sha256"]))
    before = _failures(client, problem)
    with caplog.at_level(logging.ERROR, logger="railclaim.storage"):
        response = client.get(body["renditions"][0]["url"], headers=headers)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == f"/problems/stored-file-{problem}"
    assert "etag" not in response.headers
    assert _failures(client, problem) == before + 1
    [record] = [r for r in caplog.records if r.name == "railclaim.storage"]
    assert (record.levelno, getattr(record, "sha256", None)) == (logging.ERROR, body["sha256"])

    login(client, employee)
    page = client.get(f"/invoices/{body['id']}/files/pdf", headers=HTML)
    assert page.status_code == 503
    assert b"%PDF" not in page.content
    assert _failures(client, problem) == before + 2


def test_an_intact_original_is_still_served_exactly(
    client: TestClient, settings: Settings, uploaded
) -> None:
    _employee, headers, body = uploaded
    response = client.get(body["renditions"][0]["url"], headers=headers)
    assert response.status_code == 200
    assert response.content == _stored_path(settings, body["sha256"]).read_bytes()


def test_a_damaged_paper_scan_is_not_served(
    client: TestClient, session: Session, settings: Settings
) -> None:
    entity = make_entity(session)
    employee = make_employee(session, entity)
    headers = bearer(session, employee)
    voucher = client.post("/api/v1/paper-vouchers", json=paper_body(), headers=headers).json()
    url = f"/api/v1/paper-vouchers/{voucher['id']}/scan"
    scanned = client.post(url, files={"file": ("s.png", PNG, "image/png")}, headers=headers)
    assert scanned.is_success, scanned.text
    _damage(_stored_path(settings, scanned.json()["scan"]["sha256"]))
    response = client.get(url, headers=headers)
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/stored-file-damaged"
