"""The railclaim command line against a real database: bootstrap, tokens, demo and storage gc."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.auth.models import ApiToken, User
from app.cli import cli
from app.config import Settings, get_settings
from app.demo import DEMO_USCC, DEMO_USERS
from app.invoices.models import Invoice
from app.invoices.parsing import parse_file
from tests.factories import make_uscc

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("RAILCLAIM_STORAGE_DIR", str(settings.storage_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_bootstrap_an_entity_users_and_a_token(cli_env: None, client: TestClient, session: Session):
    uscc = make_uscc(777)
    code, out = run("entities", "add", "--name", "上海测试有限公司", "--uscc", uscc)
    assert code == 0, out
    code, out = run(
        "users",
        "create",
        "--username",
        "wang",
        "--password",
        "a long password",
        "--role",
        "approver",
        "--role",
        "employee",
        "--entity",
        uscc,
    )
    assert code == 0, out
    code, out = run(
        "users",
        "create",
        "--username",
        "zhang",
        "--password",
        "a long password",
        "--role",
        "employee",
        "--passenger-name",
        "张三",
        "--id-last4",
        "1234",
        "--grade",
        "2",
        "--manager",
        "wang",
        "--entity",
        uscc,
    )
    assert code == 0, out
    code, out = run(
        "users",
        "create",
        "--username",
        "svc-erp",
        "--role",
        "finance",
        "--service",
        "--entity",
        uscc,
    )
    assert code == 0, out
    code, token = run("tokens", "create", "--name", "erp", "--user", "svc-erp")
    assert code == 0, token
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token.strip()}"})
    assert me.json()["username"] == "svc-erp"
    stored = session.exec(select(ApiToken.token_sha256)).all()
    assert token.strip() not in stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["entities", "add", "--name", "x", "--uscc", "91310000MA1FL0DEM1"], "uscc"),
        (["users", "create", "--username", "a b", "--role", "employee"], "username"),
        (["users", "create", "--username", "ok", "--role", "king"], "--role 'king'"),
        (["tokens", "create", "--name", "erp", "--user", "nobody"], "no active user"),
    ],
)
def test_bad_input_is_a_clear_error(cli_env: None, args: list[str], message: str):
    code, out = run(*args)
    assert code != 0
    assert message in out


def test_demo_is_idempotent_and_seeds_invoices(cli_env: None, session: Session, settings: Settings):
    code, out = run("demo")
    assert code == 0, out
    assert "admin-demo-pass" in out
    assert "cashier-demo-pass" in out  # books and pays are two people under segregation of duties
    try_files = sorted((settings.storage_dir.parent / "demo-files").iterdir())
    assert len(try_files) == 4
    readings = [parse_file(f.read_bytes(), f.name)[0] for f in try_files]
    [flight] = [r for r in readings if r.kind == "air"]  # one flight to try beside the trains
    assert flight.total == Decimal("480.00")
    assert flight.buyer_tax_id == DEMO_USCC
    assert flight.findings == ()
    invoices = session.exec(select(func.count()).select_from(Invoice)).one()
    assert invoices >= 10
    code, _ = run("demo")
    assert code == 0
    session.commit()
    assert session.exec(select(func.count()).select_from(Invoice)).one() == invoices
    assert session.exec(select(func.count()).select_from(User)).one() == len(DEMO_USERS)


def test_storage_gc_dry_run(cli_env: None, settings: Settings):
    code, out = run("storage", "gc", "--dry-run")
    assert code == 0, out
    assert "checked 0 files" in out


def test_demo_without_the_dev_kit_seeds_users_and_says_how_to_get_invoices(
    cli_env: None, session: Session, monkeypatch: pytest.MonkeyPatch
):
    # A production install has no dev kit: importing it fails as it would there.
    monkeypatch.setitem(sys.modules, "railclaim_devkit", None)
    monkeypatch.setitem(sys.modules, "railclaim_devkit.demo_invoices", None)
    code, out = run("demo")
    assert code == 0, out
    assert "admin-demo-pass" in out
    assert "pip install -e ./devkit" in out
    assert session.exec(select(func.count()).select_from(Invoice)).one() == 0
