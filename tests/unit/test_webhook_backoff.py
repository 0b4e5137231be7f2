"""The webhook retry schedule: exponential, capped, ten attempts over about a day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.config import Settings
from app.webhooks.backoff import RetryPolicy


def waits(policy: RetryPolicy) -> list[dt.timedelta]:
    return [policy.delay_after(n) for n in range(1, policy.max_attempts)]


def test_waits_grow_exponentially_from_thirty_seconds_to_the_cap():
    seconds = [w.total_seconds() for w in waits(RetryPolicy())]
    assert seconds[:5] == [30, 120, 480, 1920, 7680]
    assert seconds[5:] == [6 * 3600] * 4
    assert seconds == sorted(seconds)


def test_ten_attempts_span_about_a_day():
    span = sum(waits(RetryPolicy()), dt.timedelta())
    assert dt.timedelta(hours=20) <= span <= dt.timedelta(hours=30)


@pytest.mark.parametrize(("attempts", "gives_up"), [(1, False), (9, False), (10, True), (11, True)])
def test_it_gives_up_after_the_tenth_attempt(attempts: int, gives_up: bool):
    assert RetryPolicy().gives_up_after(attempts) is gives_up


def test_huge_attempt_numbers_stay_at_the_cap():
    assert RetryPolicy().delay_after(10_000) == dt.timedelta(hours=6)
    assert RetryPolicy().delay_after(0) == dt.timedelta(seconds=30)


def test_settings_tune_the_schedule():
    settings = Settings(
        webhook_max_attempts=3, webhook_retry_base_seconds=1, webhook_retry_cap_seconds=10
    )
    policy = RetryPolicy.from_settings(settings)
    assert [w.total_seconds() for w in waits(policy)] == [1, 4]
    assert policy.delay_after(5) == dt.timedelta(seconds=10)
    assert policy.gives_up_after(3)
