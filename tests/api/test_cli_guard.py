"""Issue 15 findings 4 and 11: the CLI refuses unsafe production keys, demo in production and
missing databases, and fails in one line (exit 1, no traceback, nothing audited)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from app.archive.commands import export_to_file
from app.audit.models import AuditEvent
from app.auth.models import User
from app.cli import cli
from app.config import DEV_SECRET, Settings, get_settings
from tests.factories import make_entity
from tests.unit.test_production_keys import GOOD_AUDIT, GOOD_SECRET

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("RAILCLAIM_STORAGE_DIR", str(settings.storage_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def fresh_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    # A traceback would surface as an exception other than the SystemExit of a clean exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: "), output
    return lines[0]


def in_production(monkeypatch: pytest.MonkeyPatch, secret: str, audit: str) -> None:
    monkeypatch.setenv("RAILCLAIM_ENVIRONMENT", "production")
    monkeypatch.setenv("RAILCLAIM_SECRET_KEY", secret)
    monkeypatch.setenv("RAILCLAIM_AUDIT_KEY", audit)
    get_settings.cache_clear()


UNSAFE = [
    pytest.param("", GOOD_AUDIT, id="empty"),
    pytest.param("a", "b", id="a-b"),
    pytest.param("changeme", GOOD_AUDIT, id="changeme"),
    pytest.param(GOOD_SECRET, GOOD_SECRET, id="secret-equals-audit"),
    pytest.param(DEV_SECRET, DEV_SECRET + "-audit", id="dev-keys"),
]
USER_CREATE = ("users", "create", "--username", "mallory", "--password", "a long password",
               "--role", "admin")  # fmt: skip


COMMANDS = [USER_CREATE, ("demo",), ("serve",), ("migrate",), ("storage", "gc")]
CASES = [pytest.param(USER_CREATE, *key.values, id=f"users-create-{key.id}") for key in UNSAFE]
CASES += [pytest.param(c, "a", "b", id=f"{c[0]}-a-b") for c in COMMANDS[1:]]
CASES += [pytest.param(c, DEV_SECRET, GOOD_AUDIT, id=f"{c[0]}-dev-key") for c in COMMANDS[1:]]


@pytest.mark.parametrize(("command", "secret", "audit"), CASES)
def test_every_command_refuses_unsafe_production_keys(
    cli_env: None, session: Session, monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...], secret: str, audit: str,
):  # fmt: skip
    in_production(monkeypatch, secret, audit)
    code, out = run(*command)
    assert code == 1
    assert "refusing to start in production" in one_error_line(out)
    assert session.exec(select(func.count()).select_from(User)).one() == 0


def test_demo_refuses_production_even_with_real_keys(
    cli_env: None, session: Session, monkeypatch: pytest.MonkeyPatch
):
    in_production(monkeypatch, GOOD_SECRET, GOOD_AUDIT)
    code, out = run("demo")
    assert code == 1
    assert "demo refuses to run in production" in one_error_line(out)
    assert session.exec(select(func.count()).select_from(User)).one() == 0
    code, out = run(*USER_CREATE)
    assert code == 0, out


@pytest.mark.parametrize(
    "command",
    [USER_CREATE, ("demo",), ("storage", "gc"), ("tokens", "create", "--name", "x", "--user", "y"),
     ("archive", "verify"), ("entities", "add", "--name", "x", "--uscc", "91310000MA1FL0DEM0")],
)  # fmt: skip
def test_a_missing_database_is_an_error_that_says_where_it_looked(
    fresh_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAILCLAIM_DATABASE_URL", raising=False)
    code, out = run(*command)
    assert code == 1
    line = one_error_line(out)
    assert f"no database at {tmp_path / 'var' / 'railclaim.db'}" in line
    assert not (tmp_path / "var" / "railclaim.db").exists()


def test_migrate_creates_the_database_then_demo_works(
    fresh_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """`make run` on a fresh checkout: migrate, then demo (then serve)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAILCLAIM_DATABASE_URL", raising=False)
    monkeypatch.delenv("RAILCLAIM_STORAGE_DIR", raising=False)
    assert run("migrate")[0] == 0
    code, out = run("demo")
    assert code == 0, out
    assert "admin-demo-pass" in out


def test_an_unmigrated_database_is_one_line(
    fresh_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "empty.db").touch()
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, out = run("storage", "gc")
    assert code == 1
    assert "railclaim migrate" in one_error_line(out)


def test_a_bad_setting_names_its_variable(cli_env: None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAILCLAIM_MAX_UPLOAD_MB", "lots")
    get_settings.cache_clear()
    code, out = run("storage", "gc")
    assert code == 1
    assert "RAILCLAIM_MAX_UPLOAD_MB" in one_error_line(out)


def exported_events(session: Session) -> int:
    session.rollback()
    statement = select(func.count()).where(col(AuditEvent.action) == "archive.exported")
    return session.exec(statement).one()


def test_export_to_a_missing_folder_is_one_line_and_audits_nothing(
    cli_env: None, session: Session, settings: Settings, tmp_path: Path
):
    entity = make_entity(session)
    missing = tmp_path / "missing" / "dir" / "a.zip"
    code, out = run("archive", "export", "--entity", entity.uscc, "--from", "2026-01",
                    "--to", "2026-02", "--output", str(missing))  # fmt: skip
    assert code == 1
    assert str(missing.parent) in one_error_line(out)
    assert exported_events(session) == 0
    # Below the command line as well: the file is opened before the export is audited.
    with pytest.raises(FileNotFoundError):
        export_to_file(settings, uscc=entity.uscc, period_from="2026-01", period_to="2026-02",
                       username=None, output=missing)  # fmt: skip
    assert exported_events(session) == 0
    code, out = run("archive", "export", "--entity", entity.uscc, "--from", "2026-01",
                    "--to", "2026-02", "--output", str(tmp_path / "a.zip"))  # fmt: skip
    assert code == 0, out
    assert exported_events(session) == 1
