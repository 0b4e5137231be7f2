"""Refuses production settings whose keys are missing, short, shared or published anywhere."""

from __future__ import annotations

from app.config import DEV_SECRET, Settings

MIN_KEY_BYTES = 32
# Keys that appear in the code, the README or the docs: anyone can read them, so anyone could
# forge a CSRF token or re-seal an edited audit chain with them.
PUBLISHED_KEYS = frozenset(
    {
        DEV_SECRET,
        DEV_SECRET + "-audit",
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "password",
        "$(openssl rand -hex 32)",
    }
)
# A key of a handful of distinct characters (32 × "a") has the length but not the entropy.
MIN_DISTINCT_CHARACTERS = 8


class UnsafeProductionSettings(RuntimeError):
    """The settings may not run in production; the message says every reason on one line."""


def _key_problems(name: str, key: str) -> list[str]:
    problems: list[str] = []
    if len(key.encode()) < MIN_KEY_BYTES:
        problems.append(f"{name} must be at least {MIN_KEY_BYTES} bytes")
    normalised = key.strip().lower()
    if normalised in PUBLISHED_KEYS or DEV_SECRET in normalised or "changeme" in normalised:
        problems.append(f"{name} is a published placeholder")
    elif len(set(key)) < MIN_DISTINCT_CHARACTERS:
        problems.append(f"{name} has fewer than {MIN_DISTINCT_CHARACTERS} distinct characters")
    return problems


def production_key_problems(settings: Settings) -> list[str]:
    """Why these settings may not serve production; empty outside production or when all is well."""
    if settings.environment != "production":
        return []
    secret = settings.secret_key.get_secret_value()
    audit = settings.audit_key.get_secret_value()
    problems = _key_problems("RAILCLAIM_SECRET_KEY", secret)
    problems += _key_problems("RAILCLAIM_AUDIT_KEY", audit)
    if secret == audit:
        problems.append("RAILCLAIM_SECRET_KEY and RAILCLAIM_AUDIT_KEY must differ")
    return problems


def refuse_unsafe_production(settings: Settings) -> None:
    problems = production_key_problems(settings)
    if problems:
        raise UnsafeProductionSettings(
            "refusing to start in production: "
            + "; ".join(problems)
            + " (generate each with: openssl rand -hex 32)"
        )
