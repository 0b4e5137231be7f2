"""Fixtures for the verification tests: a fake 查验 platform on loopback and a client for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.unit.verification.fake_platform import FakePlatform, ServedPlatform


@pytest.fixture(scope="session")
def server() -> Iterator[ServedPlatform]:
    server = ServedPlatform()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def served(server: ServedPlatform) -> Iterator[ServedPlatform]:
    """The loopback server with a fresh platform; held replies are released after the test."""
    platform = FakePlatform()
    server.install(platform)
    yield server
    platform.released.set()


@pytest.fixture
def platform(served: ServedPlatform) -> FakePlatform:
    return served.platform


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy configured in the environment must not capture loopback traffic.
    with httpx.Client(trust_env=False) as client:
        yield client
