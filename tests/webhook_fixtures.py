"""Fixtures of the webhook tests (registered in tests/conftest.py): an admin's bearer headers and
a receiver on loopback, listening or down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from tests.factories import bearer, make_user
from tests.webhook_receiver import Receiver


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    return bearer(session, make_user(session, "admin"))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Listening from the start; tests that need a receiver that is down use `down_receiver`."""
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def down_receiver() -> Iterator[Receiver]:
    server = Receiver()  # bound but not listening: connections are refused until start()
    yield server
    server.stop()
