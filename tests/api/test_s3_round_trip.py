"""The service on an S3 bucket (a real SeaweedFS): upload, download, book, export, verify, gc.

The same flows as on the local folder, end to end through the API and the CLI, with every file
only in the bucket: nothing may fall back to RAILCLAIM_STORAGE_DIR.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.archive.errors import RetentionActive
from app.archive.retention import delete_archived_file
from app.config import Settings, get_settings
from app.storage.s3 import S3FileStore
from tests.api.archive_helpers import (
    bag_info,
    booked_claim,
    export,
    failures,
    files_of,
    records,
    unzip,
    verify,
)
from tests.api.test_cli import run
from tests.seaweed import Seaweed
from tests.storage.backends import overwrite_stored


@pytest.fixture
def settings(settings: Settings, seaweed: Seaweed) -> Settings:
    return seaweed.settings_for(settings)


@pytest.fixture
def s3_cli_env(
    settings: Settings, seaweed: Seaweed, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("RAILCLAIM_STORAGE_DIR", str(settings.storage_dir))
    assert settings.storage_url is not None
    for name, value in seaweed.env(settings.storage_url).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_upload_download_export_and_verify_on_s3(
    app: FastAPI, client: TestClient, session: Session, settings: Settings, tmp_path: Path
):
    store = app.state.store
    assert isinstance(store, S3FileStore)
    archived = booked_claim(client, session, pay=True)
    invoice = archived.invoice
    original = client.get(
        f"/api/v1/invoices/{invoice['id']}/files/pdf", headers=archived.office.headers["finance"]
    )
    assert original.status_code == 200
    assert store.get(invoice["sha256"]) == original.content
    assert not settings.storage_dir.exists(), "a file went to the local folder"

    bag_dir = unzip(export(client, archived.auditor), tmp_path)
    bagit.Bag(str(bag_dir)).validate()
    info = bag_info(bag_dir)
    assert (info["Voucher-Count"], info["Integrity-Failures"]) == ("2", "0")
    archived_files = [row for r in records(session) for row in files_of(session, r).values()]
    assert {row.sha256 for row in archived_files} <= {f.sha256 for f in store.iter_files()}

    body = verify(client, archived.auditor)
    assert body["ok"] is True, body["failures"]
    assert body["checked"]["archive_files"] == 10


def test_verify_and_export_name_a_damaged_or_missing_object(
    app: FastAPI, client: TestClient, session: Session, tmp_path: Path
):
    store = app.state.store
    archived = booked_claim(client, session)
    (record,) = records(session)
    files = files_of(session, record)
    number = archived.invoice["invoice_number"]
    overwrite_stored(store, files["report.html"].sha256, b"<html>rewritten</html>")
    store.remove_unreferenced(files[f"invoices/{number}/xbrl.xml"].sha256)

    body = verify(client, archived.auditor)
    assert {
        ("file-hash", f"archive_file {record.reference}/report.html"),
        ("file-missing", f"archive_file {record.reference}/invoices/{number}/xbrl.xml"),
        ("file-missing", f"invoice_xbrl {number}/xbrl"),
    } <= failures(body)
    info = bag_info(unzip(export(client, archived.auditor), tmp_path))
    assert info["Integrity-Failures"] == "2"


def test_deleting_an_archived_object_is_refused_under_retention(
    app: FastAPI, client: TestClient, session: Session
):
    store = app.state.store
    booked_claim(client, session)
    (record,) = records(session)
    sha = files_of(session, record)["metadata.json"].sha256
    with pytest.raises(RetentionActive):
        delete_archived_file(session, store=store, sha256=sha, today=dt.date(2030, 1, 1))
    assert store.exists(sha)


@pytest.mark.usefixtures("s3_cli_env")
def test_the_cli_exports_verifies_and_collects_garbage_in_the_bucket(
    app: FastAPI, client: TestClient, session: Session, tmp_path: Path
):
    store = app.state.store
    archived = booked_claim(client, session)
    output = tmp_path / "archive.zip"
    uscc = archived.office.entity.uscc
    code, out = run(
        "archive", "export", "--entity", uscc, "--from", "2026-01", "--to", "2026-12",
        "--output", str(output),
    )  # fmt: skip
    assert code == 0, out
    bagit.Bag(str(unzip(output.read_bytes(), tmp_path / "bag"))).validate()
    code, out = run("archive", "verify")
    assert code == 0, out

    orphan = store.put(b"an upload whose row never committed")
    code, out = run("storage", "gc", "--grace-minutes", "0")
    assert code == 0, out
    assert f"removed {orphan}" in out
    assert not store.exists(orphan)
    assert store.exists(archived.invoice["sha256"])
    code, out = run("archive", "verify")
    assert code == 0, out
