"""How the command line reports expected failures: one readable `error:` line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from app.problems import AppError
from app.production import UnsafeProductionSettings

# What a command may fail with for reasons of its input or its surroundings (not a bug): each is
# printed as `error:` lines and exits 1, never as a traceback.
EXPECTED_FAILURES: tuple[type[BaseException], ...] = (
    AppError,
    ValidationError,
    UnsafeProductionSettings,
    OperationalError,
    ProgrammingError,
    ArgumentError,
    OSError,
)

# Nested models whose fields are options of their own (`users create --grade` is profile.grade).
_OPTION_GROUPS = frozenset({"profile"})
# Model fields whose command-line option has another name than the field spelled with dashes.
_OPTION_OF_FIELD = {"roles": "role", "entity_ids": "entity", "manager_id": "manager"}

# What the patterns of the fields typed on the command line ask for, in words.
_PATTERN_MEANING = {
    "id_last4": "the last 4 characters of the ID: three digits, then a digit or X",
    "email": "an e-mail address such as name@example.com",
    "username": "letters, digits and . _ @ -, starting with a letter or digit",
}


def problem_lines(exc: BaseException, *, database_url: str, as_options: bool = False) -> list[str]:
    """What went wrong, one problem a line, without Python reprs.

    `as_options`: the failed model was built from the command's options, so its fields are named
    as the options the user typed (`--id-last4`), not as the model spells them."""
    if isinstance(exc, ValidationError):
        # Settings come from the environment, so name the variable the operator has to fix.
        settings = exc.title == "Settings"
        return [_validation_line(e, settings=settings, as_options=as_options) for e in exc.errors()]
    if isinstance(exc, AppError):
        return _app_error_lines(exc)
    if isinstance(exc, OperationalError | ProgrammingError):
        # The driver's first line says what went wrong; the SQL and parameters are noise here.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        unmigrated = isinstance(exc, ProgrammingError) or "no such table" in reason
        hint = " (not migrated yet? run `railclaim migrate`)" if unmigrated else ""
        return [f"database {where(database_url)}: {reason}{hint}"]
    if isinstance(exc, OSError) and exc.filename is not None:
        return [f"{exc.strerror or exc}: {exc.filename}"]
    return [str(exc)]


def _validation_line(error: ErrorDetails, *, settings: bool, as_options: bool) -> str:
    loc = error["loc"]
    if settings:
        name = "RAILCLAIM_" + "_".join(map(str, loc)).upper()
    elif as_options and loc:
        if loc[0] in _OPTION_GROUPS:
            loc = loc[1:]
        name = "--" + _OPTION_OF_FIELD.get(str(loc[0]), str(loc[0])).replace("_", "-")
        if len(loc) > 1 and isinstance(loc[1], int):  # one of a repeated option's values
            name += f" {_shown(error.get('input'))}"
    else:
        name = ".".join(map(str, loc))
    message = error["msg"]
    if error["type"] == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_MEANING:
        message = f"should be {_PATTERN_MEANING[str(loc[-1])]}"  # a regex is no help to a person
    return f"{name}: {message}" if name else message


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _app_error_lines(exc: AppError) -> list[str]:
    errors = exc.extensions.get("errors")
    if not isinstance(errors, list) or not errors:
        return [exc.detail or exc.title or type(exc).__name__]
    lines = []
    for item in errors:
        if isinstance(item, dict) and "message" in item:
            field = item.get("field")
            lines.append(f"{field}: {item['message']}" if field else str(item["message"]))
        else:
            lines.append(str(item))
    return lines


def where(database_url: str) -> str:
    """The database a command used, as an operator would look for it (no password)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return str(Path(url.database).resolve())
    return url.render_as_string(hide_password=True)
