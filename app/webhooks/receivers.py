"""Which addresses may receive webhooks, checked where the URL is given and where it connects.

A cloud machine's metadata service answers on a link-local address (169.254.169.254): a
receiver there would post event bodies to it and store its answers in the delivery log.
Loopback and private addresses stay allowed: receivers on the same host or network are common
(and the tests use one). A URL naming an address is refused when it is saved; a URL naming a
host is resolved when a delivery connects, by `GuardedBackend`, which connects to the very
address it checked, so a name that answers differently the second time (DNS rebinding) still
reaches no forbidden address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


# Metadata services outside the link-local range: Alibaba Cloud's (in 100.64.0.0/10, which is
# also carrier NAT, so only the address) and AWS's IPv6 one.
_METADATA = frozenset(ipaddress.ip_address(a) for a in ("100.100.100.200", "fd00:ec2::254"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def forbidden_receiver(address: Address) -> bool:
    """True for addresses that are no webhook receiver: link-local, unspecified and known
    metadata-service addresses, also written as IPv6 forms that reach an IPv4 one."""
    return any(a.is_link_local or a.is_unspecified or a in _METADATA for a in _spellings(address))


def _spellings(address: Address) -> list[Address]:
    """The address and the IPv4 address an IPv6 one reaches: mapped (::ffff:a.b.c.d), 6to4
    (2002:AABB:CCDD::) or NAT64 (64:ff9b::a.b.c.d)."""
    found: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        for inner in (address.ipv4_mapped, address.sixtofour):
            if inner is not None:
                found.append(inner)
        if address in _NAT64:
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, resolving each host once and refusing forbidden addresses.

    TLS still verifies the URL's host name: httpcore hands the origin's name to `start_tls`."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        refused = [a for a in addresses if forbidden_receiver(a)]
        if refused:
            raise httpcore.ConnectError(
                f"{host} resolves to {refused[0]}, a link-local, unspecified or metadata "
                "address, which is no webhook receiver"
            )
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._backend.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # the next address, as a dual-stack client falls back to IPv4
        if failure is not None:
            raise failure
        raise httpcore.ConnectError(f"{host} resolves to no address")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _resolve(host: str, port: int) -> list[Address]:
    try:
        answers = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from exc
    # The scope of an IPv6 answer ("fe80::1%eth0") is dropped: the address alone decides.
    found = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    return list(dict.fromkeys(found))


def guarded_transport() -> httpx.HTTPTransport:
    """httpx's own transport, with its connection pool on `GuardedBackend`.

    httpx 0.29 takes no network backend (encode/httpx#3749 proposes one), so the pool it built
    gets ours; the webhook tests deliver through this transport, so a change in httpx that
    dropped it would fail them."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if not isinstance(pool, httpcore.ConnectionPool):
        raise RuntimeError("httpx's transport no longer keeps an httpcore pool in `_pool`")
    pool._network_backend = GuardedBackend()
    return transport
