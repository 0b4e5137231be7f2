"""The result type, the offline default and the factory that picks a provider from settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.config import Settings
from app.invoices.verification import (
    HttpProvider,
    OfflineProvider,
    VerificationProvider,
    VerificationResult,
    get_verification_provider,
)
from tests.unit.verification.fake_platform import FakePlatform, ServedPlatform
from tests.unit.verification.invoices import SALE_NUMBER, sale_answer, sale_invoice

NOON_UTC = dt.datetime(2025, 3, 21, 12, 0, tzinfo=dt.UTC)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


def test_a_result_is_immutable_and_hashable():
    result = VerificationResult("verified", "http", NOON_UTC, "ok", raw={"fphm": SALE_NUMBER})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "failed"  # type: ignore[misc]
    assert hash(result) == hash(dataclasses.replace(result, raw=None))


@pytest.mark.parametrize(
    "checked_at",
    [NOON_UTC.replace(tzinfo=None), NOON_UTC.astimezone(SHANGHAI)],
    ids=["naive", "shanghai"],
)
def test_a_result_needs_a_utc_timestamp(checked_at: dt.datetime):
    with pytest.raises(ValueError, match="UTC"):
        VerificationResult("verified", "http", checked_at, "ok")


def test_offline_records_unverified():
    provider = OfflineProvider(clock=lambda: NOON_UTC)
    result = provider.verify(sale_invoice())
    assert isinstance(provider, VerificationProvider)
    assert (result.status, result.provider, result.checked_at) == (
        "unverified",
        "offline",
        NOON_UTC,
    )
    assert result.mismatches == ()
    assert result.raw is None
    assert "switched off" in result.message
    assert SALE_NUMBER in result.message


def test_offline_is_the_default():
    provider = get_verification_provider(settings())
    assert isinstance(provider, OfflineProvider)
    assert provider.verify(sale_invoice()).checked_at.utcoffset() == dt.timedelta(0)


def test_http_without_url_is_refused_at_startup():
    with pytest.raises(ValueError, match="RAILCLAIM_VERIFICATION_URL"):
        get_verification_provider(settings(verification_provider="http"))


def test_http_with_a_bad_url_is_refused_at_startup():
    with pytest.raises(ValueError, match="absolute http"):
        get_verification_provider(
            settings(verification_provider="http", verification_url="platform.example")
        )


def test_settings_come_from_railclaim_variables(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAILCLAIM_VERIFICATION_PROVIDER", "http")
    monkeypatch.setenv("RAILCLAIM_VERIFICATION_URL", "https://chayan.example")
    monkeypatch.setenv("RAILCLAIM_VERIFICATION_RETRIES", "4")
    monkeypatch.setenv("RAILCLAIM_VERIFICATION_TOKEN", "t0ken")
    loaded = settings()
    assert (loaded.verification_provider, loaded.verification_retries) == ("http", 4)
    assert loaded.verification_token == SecretStr("t0ken")
    assert "t0ken" not in repr(loaded)


def test_the_factory_builds_a_working_http_provider(
    served: ServedPlatform, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    platform.answers[SALE_NUMBER] = sale_answer()
    configured = settings(
        verification_provider="http",
        verification_url=served.url,
        verification_timeout_seconds=2.0,
        verification_retries=0,
        verification_token=SecretStr("factory-token"),
    )
    provider = get_verification_provider(configured)
    assert isinstance(provider, HttpProvider)
    try:
        assert provider.verify(sale_invoice()).status == "verified"
    finally:
        provider.close()
    assert platform.received[0].headers["authorization"] == "Bearer factory-token"


def test_a_lent_client_is_left_open(served: ServedPlatform):
    with httpx.Client(trust_env=False) as client:
        HttpProvider(served.url, 1.0, 0, client=client).close()
        assert not client.is_closed
