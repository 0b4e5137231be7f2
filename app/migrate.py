"""Running the Alembic migrations from code (the CLI, the tests and the demo)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if database_url:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def include_object(
    _obj: object, name: str | None, type_: str, reflected: bool, _compare_to: object
) -> bool:
    """Drift comparison filter: PostgreSQL-only pg_trgm indexes live in the migrations alone."""
    return not (type_ == "index" and reflected and (name or "").endswith("_trgm"))


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
