"""The retry schedule: exponential backoff, capped, giving up after a number of attempts.

With the defaults (30 s, ×4, capped at 6 h, 10 attempts) the waits are 30 s, 2 min, 8 min,
32 min, 2 h 8 min and then 6 h four times: the tenth attempt comes about 26.8 hours after
the first, so a receiver that is down for most of a day still gets everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings
from app.kit.retries import Backoff


@dataclass(frozen=True)
class RetryPolicy(Backoff):
    max_attempts: int = 10
    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_attempts=settings.webhook_max_attempts,
            base_seconds=settings.webhook_retry_base_seconds,
            cap_seconds=settings.webhook_retry_cap_seconds,
        )
