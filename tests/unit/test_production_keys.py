"""Issue 15 finding 4: production refuses empty, short, shared and published keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import DEV_SECRET, Settings
from app.main import create_app
from app.production import UnsafeProductionSettings, production_key_problems

GOOD_SECRET = "4f1c0b7e9a2d6358e0b1c7f4a9d2e6b3"
GOOD_AUDIT = "c9e2a7f1b4d80635f2e9a1c7b4d6e803"

# (secret key, audit key, what the refusal must name)
UNSAFE_KEYS = [
    pytest.param("", GOOD_AUDIT, "RAILCLAIM_SECRET_KEY must be at least 32 bytes", id="empty"),
    pytest.param("a", "b", "RAILCLAIM_AUDIT_KEY must be at least 32 bytes", id="a-b"),
    pytest.param("changeme", GOOD_AUDIT, "RAILCLAIM_SECRET_KEY is a published", id="changeme"),
    pytest.param(
        "changeme" * 4, GOOD_AUDIT, "RAILCLAIM_SECRET_KEY is a published", id="changeme-x4"
    ),
    pytest.param(GOOD_SECRET, GOOD_SECRET, "must differ", id="secret-equals-audit"),
    pytest.param(DEV_SECRET, GOOD_AUDIT, "RAILCLAIM_SECRET_KEY is a published", id="dev-secret"),
    pytest.param(
        GOOD_SECRET, DEV_SECRET + "-audit", "RAILCLAIM_AUDIT_KEY is a published", id="dev-audit"
    ),
    pytest.param("a" * 40, GOOD_AUDIT, "distinct characters", id="one-letter-repeated"),
]


def production(secret: str, audit: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/x.db",
        environment="production",
        secret_key=SecretStr(secret),
        audit_key=SecretStr(audit),
    )


@pytest.mark.parametrize(("secret", "audit", "reason"), UNSAFE_KEYS)
def test_server_refuses_unsafe_production_keys(secret: str, audit: str, reason: str, tmp_path):
    settings = production(secret, audit, tmp_path)
    assert any(reason in p for p in production_key_problems(settings))
    with pytest.raises(UnsafeProductionSettings, match=reason):
        create_app(settings)


def test_real_keys_start_and_dev_needs_none(tmp_path):
    assert production_key_problems(production(GOOD_SECRET, GOOD_AUDIT, tmp_path)) == []
    dev = Settings(database_url=f"sqlite:///{tmp_path}/x.db", environment="dev")
    assert production_key_problems(dev) == []
