"""Sending one e-mail over SMTP with the standard library, and telling a retry from a refusal.

smtplib, not a third-party client: a worker sends a few plain-text messages a minute, one at a
time; smtplib speaks STARTTLS, implicit TLS and AUTH, and that is all this needs.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass, field
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.utils import format_datetime, parseaddr
from types import TracebackType
from typing import Literal

from app.config import Settings
from app.notifications.dispatch import MailJob, MailOutcome
from app.notifications.messages import email_text

Security = Literal["starttls", "ssl", "none"]
_DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


class SmtpSettingsError(ValueError):
    """The SMTP settings cannot work (say, a host without a From address)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Security
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0
    public_url: str | None = None
    # Tests trust their own certificate; in service the system's trust store (None) applies.
    tls_context: ssl.SSLContext | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The configured server, or None when e-mail is off (RAILCLAIM_SMTP_HOST unset)."""
        if not settings.smtp_host:
            return None
        if not settings.smtp_from or "@" not in parseaddr(settings.smtp_from)[1]:
            raise SmtpSettingsError(
                "RAILCLAIM_SMTP_FROM: an address such as 'railclaim <noreply@example.com>' is "
                "required when RAILCLAIM_SMTP_HOST is set"
            )
        if bool(settings.smtp_username) != bool(settings.smtp_password):
            raise SmtpSettingsError(
                "RAILCLAIM_SMTP_USERNAME and RAILCLAIM_SMTP_PASSWORD go together: set both or none"
            )
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port or _DEFAULT_PORTS[settings.smtp_security],
            security=settings.smtp_security,
            sender=settings.smtp_from,
            username=settings.smtp_username or None,
            password=password,
            timeout_seconds=settings.smtp_timeout_seconds,
            public_url=settings.public_url,
        )

    def claim_url(self, job: MailJob) -> str | None:
        if not self.public_url or job.claim_id is None:
            return None
        return f"{self.public_url.rstrip('/')}/claims/{job.claim_id}"


def build_message(
    config: SmtpConfig, job: MailJob, *, now: dt.datetime
) -> Message[str, str | Header]:
    """The e-mail of `job`; raises ValueError when its address cannot be sent to.

    The classic Message and Header, not EmailMessage: EmailMessage folds a long mixed-script
    subject before an encoded word and keeps the space, so readers see two spaces there."""
    body = email_text(job.body, job.language, config.claim_url(job))
    message: Message[str, str | Header] = Message()
    message.set_payload(body, "utf-8")  # text/plain; charset="utf-8", base64, MIME-Version
    # Rendered text from the database, but a header must never carry a line break.
    subject = " ".join(job.subject.split())
    message["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")
    message["From"] = config.sender
    message["To"] = str(Address(addr_spec=job.to_address))  # ValueError for a malformed one
    message["Date"] = format_datetime(now)
    # The same id on every attempt: a mailer can drop the copy of an at-least-once resend.
    domain = parseaddr(config.sender)[1].rpartition("@")[2] or "railclaim.invalid"
    message["Message-ID"] = f"<{job.notification_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to us
    message["Content-Language"] = job.language
    return message


class SmtpConnection:
    """One SMTP session for a pass, opened on the first message and reopened after a failure."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, job: MailJob, *, now: dt.datetime) -> MailOutcome:
        try:
            message = build_message(self.config, job, now=now)
        except ValueError as exc:  # the address or header cannot go out, now or ever
            return MailOutcome(sent=False, error=f"unsendable: {exc}", permanent=True)
        try:
            smtp = self._connected()
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return MailOutcome(sent=False, error=_describe(exc), server_unusable=True)
        try:
            smtp.send_message(message, to_addrs=[job.to_address])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            return _refused(code, reply)
        except smtplib.SMTPDataError as exc:
            return _refused(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            # Disconnects, a refused sender (our From: every message would fail alike), 4xx.
            self.close()
            return MailOutcome(sent=False, error=_describe(exc), server_unusable=True)
        return MailOutcome(sent=True)

    def _connected(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        config = self.config
        context = config.tls_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if config.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds)
        try:
            smtp.ehlo()
            if config.security == "starttls":
                # Never falls back to plain text: a server without STARTTLS is an error here.
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.username and config.password:
                smtp.login(config.username, config.password)
        except BaseException:
            _quietly_close(smtp)
            raise
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
            self._smtp = None


def _refused(code: int, reply: bytes | str) -> MailOutcome:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    # 5xx is the server's final word on this message; 4xx asks to try again later.
    return MailOutcome(sent=False, error=f"SMTP {code}: {text}".strip(), permanent=code >= 500)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        return f"{type(exc).__name__}: SMTP {exc.smtp_code}: {text}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
