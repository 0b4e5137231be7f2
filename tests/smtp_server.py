"""A real SMTP server on loopback for tests (aiosmtpd): it queues what it accepts, refuses the
recipients it is told to, and can speak STARTTLS or implicit TLS with a login."""

from __future__ import annotations

import email
import email.policy
import queue
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# Generous: the machine is shared; a message that comes arrives in milliseconds.
WAIT_SECONDS = 20.0
LOGIN = ("railclaim", "smtp-test-password")


@dataclass(frozen=True)
class Mail:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        content: str = body.get_content()
        return content.replace("\r\n", "\n")  # SMTP carries CRLF lines


@dataclass
class Inbox:
    """The aiosmtpd handler: accepted mail goes to a queue the test waits on."""

    refuse: dict[str, str] = field(default_factory=dict)  # address → SMTP reply to RCPT
    mails: queue.Queue[Mail] = field(default_factory=queue.Queue)
    logins: list[bytes] = field(default_factory=list)
    port: int = 0  # set by start_server

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.mails.put(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def next_mail(self) -> Mail:
        return self.mails.get(timeout=WAIT_SECONDS)

    def drain(self) -> list[Mail]:
        """What arrived so far; callers use it after the sender returned (each message is
        queued before the server answers 250, so nothing sent can still be on the way)."""
        found = []
        while True:
            try:
                found.append(self.mails.get_nowait())
            except queue.Empty:
                return found

    def authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            )
            == LOGIN
        )
        if ok:
            self.logins.append(auth_data.login)
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RefusingPort:
    """A loopback port that is bound but never listens: every connection is refused."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()


def start_server(inbox: Inbox, *, tls: str = "none", cert: Path | None = None) -> Controller:
    """`tls`: "none" (plain, no login), "starttls" or "ssl" (login required, over TLS only)."""
    kwargs: dict[str, Any] = {}
    if tls != "none":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert / "cert.pem", cert / "key.pem")
        kwargs = {"authenticator": inbox.authenticate, "auth_required": True}
        if tls == "starttls":
            kwargs |= {"tls_context": context, "require_starttls": True}
        else:
            # Implicit TLS: aiosmtpd does not count it as TLS for AUTH, yet it is.
            kwargs |= {"ssl_context": context, "auth_require_tls": False}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()  # returns once the server answers
    inbox.port = controller.port
    return controller


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1, made by the openssl command."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder


def client_context(cert: Path) -> ssl.SSLContext:
    """What the sender trusts in tests: exactly the test server's certificate."""
    context = ssl.create_default_context(cafile=str(cert / "cert.pem"))
    return context
