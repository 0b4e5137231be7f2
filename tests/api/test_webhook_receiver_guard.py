"""A receiver named by a host is checked where the delivery connects: a name that resolves to a
link-local, unspecified or metadata-service address is never connected to, and the
address checked is the one connected to, so a name that changes its answer gains nothing."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpcore
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import utcnow
from app.webhooks import receivers
from app.webhooks.worker import run_once
from tests.api.test_webhook_delivery import deliveries, subscribe
from tests.webhook_receiver import Receiver
from tests.webhook_support import enqueue, run_worker_pass

_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[list[str]]]:
    """A resolver for made-up names: each lookup of a name takes the next list of addresses
    (the last one repeats); any other host resolves as usual."""
    answers: dict[str, list[list[str]]] = {}

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            return _real_getaddrinfo(host, port, *args, **kwargs)
        queue = answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            info
            for address in addresses
            for info in _real_getaddrinfo(address, port, *args, **kwargs)
        ]

    monkeypatch.setattr(receivers.socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a delivery opened a TCP connection to."""
    opened: list[str] = []
    connect: Callable[..., httpcore.NetworkStream] = httpcore.SyncBackend.connect_tcp

    def recording(self: httpcore.SyncBackend, host: str, port: int, *args: Any) -> Any:
        opened.append(host)
        return connect(self, host, port, *args)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", recording)
    return opened


def _port(receiver: Receiver) -> int:
    return int(receiver.url.split(":")[2].split("/")[0])


def test_a_receiver_named_by_a_host_is_resolved_and_reached(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    names: dict[str, list[list[str]]],
    connections: list[str],
):
    names["erp.example.test"] = [["127.0.0.1"]]
    subscription = subscribe(client, admin, f"http://erp.example.test:{_port(receiver)}/hook")
    enqueue(app, "claim.paid", {"claim_id": "c1"})

    assert run_worker_pass(app, now=utcnow()) == 1
    [request] = receiver.received()
    assert request.headers["Host"] == f"erp.example.test:{_port(receiver)}"
    assert connections == ["127.0.0.1"]
    assert deliveries(client, admin, subscription["id"])[0]["status"] == "delivered"


@pytest.mark.parametrize(
    "addresses",
    [
        ["169.254.169.254"],
        ["fe80::1"],
        ["::ffff:169.254.169.254"],
        ["0.0.0.0"],
        ["100.100.100.200"],  # Alibaba Cloud's metadata service
        ["fd00:ec2::254"],  # AWS's, over IPv6
        ["64:ff9b::a9fe:a9fe"],  # NAT64 of 169.254.169.254
        ["2002:a9fe:a9fe::1"],  # 6to4 of it
        # One forbidden answer among good ones refuses the name: the good one may not be picked.
        ["127.0.0.1", "169.254.169.254"],
    ],
)
def test_a_host_resolving_to_a_forbidden_address_is_never_connected_to(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    names: dict[str, list[list[str]]],
    connections: list[str],
    addresses: list[str],
):
    names["metadata.example.test"] = [addresses]
    url = f"http://metadata.example.test:{_port(receiver)}/latest/meta-data/"
    subscription = subscribe(client, admin, url)
    enqueue(app, "claim.paid", {"claim_id": "c1"})

    assert run_worker_pass(app, now=utcnow()) == 1
    assert connections == []
    assert receiver.received() == []
    [delivery] = deliveries(client, admin, subscription["id"])
    assert delivery["status"] == "pending"  # retried later, like any receiver that is down
    assert delivery["last_status_code"] is None
    assert "link-local, unspecified or metadata address" in delivery["last_error"]
    assert "metadata.example.test" in delivery["last_error"]


def test_a_name_that_changes_its_answer_is_checked_at_each_connection(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    names: dict[str, list[list[str]]],
    connections: list[str],
):
    # DNS rebinding: a good answer first (as when the URL was checked), the metadata service next.
    names["rebind.example.test"] = [["127.0.0.1"], ["169.254.169.254"]]
    subscribe(client, admin, f"http://rebind.example.test:{_port(receiver)}/hook")
    enqueue(app, "claim.paid", {"claim_id": "c1"})
    assert run_worker_pass(app, now=utcnow()) == 1
    enqueue(app, "claim.paid", {"claim_id": "c2"})

    assert run_worker_pass(app, now=utcnow()) == 1
    assert connections == ["127.0.0.1"]
    assert [r.json["data"]["claim_id"] for r in receiver.received()] == ["c1"]


def test_a_name_that_does_not_resolve_is_a_failed_attempt_in_the_log(
    client: TestClient, app: FastAPI, admin: dict[str, str], connections: list[str]
):
    subscription = subscribe(client, admin, "http://nowhere.invalid/hook")
    enqueue(app, "claim.paid", {"claim_id": "c1"})

    assert run_worker_pass(app, now=utcnow()) == 1
    [delivery] = deliveries(client, admin, subscription["id"])
    assert delivery["status"] == "pending"
    assert "nowhere.invalid cannot be resolved" in delivery["last_error"]
    assert connections == []


def test_with_a_proxy_in_the_environment_deliveries_go_through_it(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    receiver: Receiver,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
):
    # The receiver plays the proxy: a proxied request names the whole URL as its target.
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_port(receiver)}")
    subscribe(client, admin, "http://erp.example.test/hook")
    enqueue(app, "claim.paid", {"claim_id": "c1"})

    assert run_once(settings) == 1
    [request] = receiver.received()
    assert request.path == "http://erp.example.test/hook"


@pytest.mark.parametrize(
    "environment",
    [
        {"HTTPS_PROXY": "http://127.0.0.1:9"},  # a proxy for https only: http connects itself
        {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "localhost,metadata.example.test"},
        {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ".example.test"},
    ],
    ids=["https-proxy-only", "no-proxy-host", "no-proxy-suffix"],
)
def test_what_no_proxy_carries_still_meets_the_guard(
    client: TestClient,
    app: FastAPI,
    admin: dict[str, str],
    settings: Settings,
    names: dict[str, list[list[str]]],
    connections: list[str],
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
):
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
                 "https_proxy", "ALL_PROXY", "all_proxy"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    names["www.metadata.example.test"] = names["metadata.example.test"] = [["169.254.169.254"]]
    host = (
        "www.metadata.example.test"
        if environment.get("NO_PROXY", "").startswith(".")
        else ("metadata.example.test")
    )
    subscription = subscribe(client, admin, f"http://{host}/latest/meta-data/")
    enqueue(app, "claim.paid", {"claim_id": "c1"})

    assert run_once(settings) == 1
    assert connections == []
    [delivery] = deliveries(client, admin, subscription["id"])
    assert "link-local, unspecified or metadata address" in delivery["last_error"]
