"""The HTTP provider against a fake 查验 platform served for real on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import socket
from decimal import Decimal

import httpx
import pytest

from app.invoices.verification import HttpProvider, VerificationProvider
from tests.unit.verification.fake_platform import FakePlatform, Reply, ServedPlatform
from tests.unit.verification.invoices import (
    SALE_NUMBER,
    red_letter_answer,
    red_letter_invoice,
    sale_answer,
    sale_invoice,
)


class Sleeps(list[float]):
    """Records the backoff the provider asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_provider(
    url: str,
    client: httpx.Client,
    sleeps: Sleeps,
    *,
    retries: int = 2,
    timeout_seconds: float = 2.0,
    token: str | None = None,
) -> HttpProvider:
    return HttpProvider(url, timeout_seconds, retries, token=token, client=client, sleep=sleeps)


@pytest.fixture
def provider(served: ServedPlatform, client: httpx.Client, sleeps: Sleeps) -> HttpProvider:
    return make_provider(served.url, client, sleeps)


def test_a_confirmed_invoice_is_verified(platform: FakePlatform, provider: HttpProvider):
    platform.answers[SALE_NUMBER] = sale_answer()
    result = provider.verify(sale_invoice())
    assert (result.status, result.provider, result.mismatches) == ("verified", "http", ())
    assert result.checked_at.utcoffset() == dt.timedelta(0)
    assert result.raw is not None
    assert result.raw["fphm"] == SALE_NUMBER
    [request] = platform.received
    assert request.path == "/verify"
    assert request.body == {"fphm": SALE_NUMBER, "kprq": "20250320", "jshj": "553.00"}
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers


def test_disagreeing_fields_are_a_mismatch(platform: FakePlatform, provider: HttpProvider):
    platform.answers[SALE_NUMBER] = sale_answer({"cccc": "G3", "xm": "李四"})
    result = provider.verify(sale_invoice())
    assert result.status == "mismatch"
    assert result.mismatches == ("train_number", "passenger_name")
    assert "train_number" in result.message
    assert "passenger_name" in result.message


def test_an_unknown_invoice_is_a_mismatch_without_retry(
    platform: FakePlatform, provider: HttpProvider, sleeps: Sleeps
):
    result = provider.verify(sale_invoice())
    assert (result.status, result.mismatches) == ("mismatch", ("invoice_number",))
    assert "no record" in result.message
    assert result.raw is None
    assert (len(platform.received), sleeps) == (1, [])


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_transient_error_is_retried_then_verified(
    platform: FakePlatform, provider: HttpProvider, sleeps: Sleeps, status: int
):
    platform.answers[SALE_NUMBER] = sale_answer()
    platform.script.append(Reply.of_json(status, {"message": "busy"}))
    result = provider.verify(sale_invoice())
    assert result.status == "verified"
    assert len(platform.received) == 2
    assert sleeps == [0.2]


def test_a_persistent_server_error_fails_after_every_retry(
    platform: FakePlatform, provider: HttpProvider, sleeps: Sleeps
):
    platform.script.extend(Reply(500) for _ in range(3))
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert "HTTP 500 after 3 attempt(s)" in result.message
    assert len(platform.received) == 3
    assert sleeps == [0.2, 0.4]


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_a_client_error_fails_at_once(
    platform: FakePlatform, provider: HttpProvider, sleeps: Sleeps, status: int
):
    platform.script.append(Reply.of_json(status, {"message": "no"}))
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert f"HTTP {status}" in result.message
    assert (len(platform.received), sleeps) == (1, [])


def test_a_platform_slower_than_the_timeout_fails(
    served: ServedPlatform, platform: FakePlatform, client: httpx.Client, sleeps: Sleeps
):
    platform.script.extend([Reply(200, b"{}", hold=True), Reply(200, b"{}", hold=True)])
    provider = make_provider(served.url, client, sleeps, retries=1, timeout_seconds=0.05)
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert "ReadTimeout" in result.message
    assert len(platform.received) == 2
    assert sleeps == [0.2]


def test_an_unreachable_platform_fails(client: httpx.Client, sleeps: Sleeps):
    with socket.socket() as probe:  # a port that was just free: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = make_provider(f"http://127.0.0.1:{port}", client, sleeps, retries=1)
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert "ConnectError" in result.message
    assert sleeps == [0.2]


MALFORMED_BODIES = [
    pytest.param(b"<html>busy</html>", id="html"),
    pytest.param(b'{"fphm": "2511', id="truncated-json"),
    pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    pytest.param(b"[]", id="json-list"),
    pytest.param(b"", id="empty"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested"),
    pytest.param(json.dumps({"code": "1001", "msg": "busy"}).encode(), id="no-fphm"),
    pytest.param(json.dumps(sale_answer(jshj="n/a")).encode(), id="bad-amount"),
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_a_malformed_answer_fails(platform: FakePlatform, provider: HttpProvider, body: bytes):
    platform.script.append(Reply(200, body))
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert result.message.startswith("查验 failed:")
    assert len(platform.received) == 1


def test_an_oversized_answer_fails(platform: FakePlatform, provider: HttpProvider):
    padding = "x" * (1024 * 1024)
    platform.script.append(Reply.of_json(200, sale_answer(padding=padding)))
    result = provider.verify(sale_invoice())
    assert result.status == "failed"
    assert "larger than 1 MiB" in result.message


def test_the_token_is_sent_as_a_bearer_header(
    served: ServedPlatform, platform: FakePlatform, client: httpx.Client, sleeps: Sleeps
):
    platform.answers[SALE_NUMBER] = sale_answer()
    provider = make_provider(served.url, client, sleeps, token="s3cret-token")
    assert provider.verify(sale_invoice()).status == "verified"
    assert platform.received[0].headers["authorization"] == "Bearer s3cret-token"


def test_a_red_letter_invoice_is_asked_with_its_negative_total(
    platform: FakePlatform, provider: HttpProvider
):
    red = red_letter_invoice()
    platform.answers[red.invoice_number] = red_letter_answer()
    assert provider.verify(red).status == "verified"
    assert platform.received[0].body["jshj"] == "-553.00"


def test_a_wrapped_answer_is_verified(platform: FakePlatform, provider: HttpProvider):
    platform.answers[SALE_NUMBER] = {"code": "0000", "data": sale_answer()}
    assert provider.verify(sale_invoice()).status == "verified"


def test_raw_keeps_no_personal_data_the_invoice_lacks(
    platform: FakePlatform, provider: HttpProvider
):
    answer = sale_answer({"zjhm": "110101199001011234", "sjhm": "13800000000"}, sfzh="110101")
    platform.answers[SALE_NUMBER] = answer
    result = provider.verify(sale_invoice())
    assert result.raw is not None
    assert "sfzh" not in result.raw
    tdys = result.raw["tdys"]
    assert isinstance(tdys, dict)
    assert "zjhm" not in tdys
    assert "sjhm" not in tdys
    assert tdys["xm"] == "张三"


def test_an_invoice_without_issue_date_is_not_sent(platform: FakePlatform, provider: HttpProvider):
    result = provider.verify(sale_invoice(issue_date=None))
    assert result.status == "unverified"
    assert platform.received == []


def test_a_provider_with_its_own_client(
    served: ServedPlatform, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    platform.answers[SALE_NUMBER] = sale_answer(jshj=Decimal("553.00").to_eng_string())
    provider = HttpProvider(served.url + "/", 2.0, 0)
    try:
        assert isinstance(provider, VerificationProvider)
        assert provider.verify(sale_invoice()).status == "verified"
        assert platform.received[0].path == "/verify"
    finally:
        provider.close()


@pytest.mark.parametrize(
    ("url", "timeout", "retries", "complaint"),
    [
        ("ftp://platform.example", 1.0, 0, "http"),
        ("platform.example/verify", 1.0, 0, "http"),
        ("https://platform.example", 0.0, 0, "timeout"),
        ("https://platform.example", 1.0, -1, "retries"),
    ],
)
def test_a_misconfigured_provider_is_refused(
    url: str, timeout: float, retries: int, complaint: str
):
    with pytest.raises(ValueError, match=complaint):
        HttpProvider(url, timeout, retries)
