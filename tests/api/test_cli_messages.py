"""Issue 16: the README's bootstrap commands work as printed, and the CLI names every problem of
its input on an `error:` line of its own, in words, never as a Python list or repr."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.auth.models import EmployeeProfile, User
from app.cli import cli
from app.config import Settings, get_settings
from tests.factories import make_entity

README = Path(__file__).parents[2] / "README.md"
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
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def error_lines(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if line.strip()]
    for line in lines:
        assert line.startswith("error: "), output
        # No Python list, dict or tuple printed for a person to decode.
        assert not re.search(r"\[\{|\{'|'\}|\(\(", line), line
    return lines


def readme_commands(*prefixes: str) -> list[list[str]]:
    """The README's "Command line" block as argument lists, with every optional part taken."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line.replace("[", " ").replace("]", " "), comments=True)
        if words[:1] == ["railclaim"] and " ".join(words[1:3]) in prefixes:
            commands.append([w if w != "…" else "a long password" for w in words[1:]])
    return commands


def test_the_readme_bootstrap_runs_as_printed(cli_env: None, session: Session):
    commands = readme_commands("entities add", "users create", "tokens create")
    assert [c[:2] for c in commands] == [["entities", "add"]] + [["users", "create"]] * 3 + [
        ["tokens", "create"]
    ]
    assert "--manager" in commands[2]
    for args in commands:
        code, out = run(*args)
        assert code == 0, (args, out)
    wang = session.exec(select(User).where(User.username == "wang")).one()
    zhangsan = session.exec(select(User).where(User.username == "zhangsan")).one()
    profile = session.get(EmployeeProfile, zhangsan.id)
    assert profile is not None
    assert profile.manager_id == wang.id
    assert (wang.email, wang.language) == ("wang@example.com", "en")


def test_a_manager_who_does_not_exist_yet_is_named_with_what_to_do(cli_env: None):
    [add_entity] = readme_commands("entities add")
    assert run(*add_entity)[0] == 0
    code, out = run(*readme_commands("users create")[1])
    assert code == 1
    [line] = error_lines(out)
    assert line == "error: --manager: no user 'wang' (create the manager first)"


def test_every_problem_is_a_line_naming_its_option(cli_env: None, session: Session):
    code, out = run(
        "users", "create", "--username", "li", "--password", "short", "--role", "employee",
        "--role", "king", "--manager", "nobody", "--entity", "91310000MA1FL0DEM1",
        "--id-last4", "12", "--grade", "300", "--email", "not-an-address",
    )  # fmt: skip
    assert code == 1
    lines = error_lines(out)
    assert lines == [
        "error: --manager: no user 'nobody' (create the manager first)",
        "error: --entity: no legal entity with USCC '91310000MA1FL0DEM1' "
        "(add it with `railclaim entities add`)",
        "error: --password: String should have at least 8 characters",
        "error: --role 'king': Input should be 'employee', 'approver', 'finance', 'auditor' or "
        "'admin'",
        "error: --email: should be an e-mail address such as name@example.com",
        "error: --id-last4: should be the last 4 characters of the ID: three digits, "
        "then a digit or X",
        "error: --grade: Input should be less than or equal to 99",
    ]
    assert session.exec(select(User).where(col(User.username) == "li")).first() is None


def test_entity_fields_are_named_as_options(cli_env: None):
    code, out = run("entities", "add", "--name", "x", "--uscc", "123", "--taxpayer-type", "big")
    assert code == 1
    assert error_lines(out) == [
        "error: --uscc: String should have at least 18 characters",
        "error: --taxpayer-type: Input should be 'general' or 'small-scale'",
    ]


@pytest.mark.parametrize(
    ("period_from", "period_to", "expected"),
    [
        ("2026-13", "2026-12", "error: period: a month as YYYY-MM, 1900-01 to 2999-12"),
        ("2026-03", "2026-01", "error: to: the last period must not precede the first"),
    ],
)
def test_a_service_problem_with_a_list_of_errors_is_one_line_each(
    cli_env: None, session: Session, tmp_path: Path, period_from: str, period_to: str,
    expected: str,
):  # fmt: skip
    entity = make_entity(session)
    code, out = run(
        "archive", "export", "--entity", entity.uscc, "--from", period_from, "--to", period_to,
        "--output", str(tmp_path / "a.zip"),
    )  # fmt: skip
    assert code == 1
    assert error_lines(out) == [expected]
