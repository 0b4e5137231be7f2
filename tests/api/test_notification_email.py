"""E-mail notifications through a real SMTP server on loopback (aiosmtpd): who gets what, in
which language, retries after a refused connection, dead after the last attempt, refusals,
expiry, TLS with a login, the CLI worker, and no e-mail sent twice by two concurrent senders."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.auth.models import User
from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine, utcnow
from app.notifications.dispatch import MailOutcome, RetrySchedule, lease_next, record_outcome
from app.notifications.models import Notification
from app.notifications.smtp import SmtpConfig
from app.notifications.worker import PassReport, send_due
from tests.claims_support import Org, act, make_org, submitted
from tests.factories import make_user
from tests.smtp_server import (
    LOGIN,
    Inbox,
    Mail,
    RefusingPort,
    client_context,
    make_certificate,
    start_server,
)

SENDER = "railclaim <noreply@railclaim.test>"
PUBLIC_URL = "https://claims.example.com/"
SCHEDULE = RetrySchedule(max_attempts=3, base_seconds=60, cap_seconds=3600)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    controller = start_server(box)
    yield box
    controller.stop()


@pytest.fixture
def refusing_port() -> Iterator[int]:
    port = RefusingPort()
    yield port.port
    port.close()


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    db = make_engine(settings.database_url)
    yield db
    db.dispose()


def smtp_at(port: int, **overrides: object) -> SmtpConfig:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": SENDER,
        "timeout_seconds": 10.0,
        "public_url": PUBLIC_URL,
    } | overrides
    return SmtpConfig(**values)  # type: ignore[arg-type]


def send_pass(
    engine: Engine, config: SmtpConfig, *, now: dt.datetime, schedule: RetrySchedule = SCHEDULE
) -> PassReport:
    return send_due(
        lambda: Session(engine, expire_on_commit=False),
        config=config,
        now=now,
        schedule=schedule,
        lease=dt.timedelta(minutes=5),
    )


def queue_mail(
    session: Session, *, count: int = 1, created_at: dt.datetime | None = None, to: str = ""
) -> list:
    """`count` pending e-mails to one new user, as the outbox writes them (no claim)."""
    user = make_user(session, "employee")
    at = created_at or utcnow()
    rows = [
        Notification(
            user_id=user.id,
            kind="claim.approved",
            to_address=to or f"u{i}@example.com",
            language="en",
            subject=f"Claim BX-202612-{i:04d} was approved",
            body=f"body {i}",
            next_attempt_at=at,
            created_at=at,
        )
        for i in range(count)
    ]
    session.add_all(rows)
    session.commit()
    return [row.id for row in rows]


def row(session: Session, notification_id: uuid.UUID) -> Notification:
    session.commit()  # a fresh read: SQLite's deferred reader would keep its snapshot
    session.expire_all()  # and the fixture's session does not expire on commit
    found = session.get(Notification, notification_id)
    assert found is not None
    return found


def with_address(session: Session, user: User, address: str, language: str) -> None:
    session.execute(
        update(User).where(col(User.id) == user.id).values(email=address, language=language)
    )
    session.commit()


# --- who gets what, in which language -------------------------------------------------------


def test_the_approver_and_the_claimant_get_their_mails_in_their_languages(
    client: TestClient, session: Session, engine: Engine, inbox: Inbox
):
    org: Org = make_org(session)
    with_address(session, org.manager, "li.manager@example.com", "en")
    with_address(session, org.employee, "zhang.san@example.com", "zh-CN")
    claim = submitted(client, session, org)
    config = smtp_at(inbox.port)

    assert send_pass(engine, config, now=utcnow()).attempted == 1
    awaiting = inbox.next_mail()
    assert awaiting.recipients == ["li.manager@example.com"]
    assert awaiting.envelope_from == "noreply@railclaim.test"
    assert awaiting.message["To"] == "li.manager@example.com"
    assert awaiting.message["From"] == SENDER
    assert awaiting.message["Subject"] == (
        f"Awaiting your approval: claim {claim['number']} "
        f"({org.employee.display_name}, ¥{claim['total']})"
    )  # exactly: folding a long mixed-script subject must not add a space
    assert awaiting.message["Content-Language"] == "en"
    assert awaiting.message["Auto-Submitted"] == "auto-generated"
    assert f'claim {claim["number"]} "{claim["title"]}"' in awaiting.text
    assert f"Open the claim: https://claims.example.com/claims/{claim['id']}" in awaiting.text
    assert "审批" not in awaiting.text

    assert act(client, org.h("manager"), claim["id"], "approve", {}).status_code == 200
    assert send_pass(engine, config, now=utcnow()).attempted == 1
    approved = inbox.next_mail()
    assert approved.recipients == ["zhang.san@example.com"]
    assert approved.message["Subject"] == f"报销单 {claim['number']} 已审批通过"
    assert f"您的报销单 {claim['number']}「{claim['title']}」（合计 ¥{claim['total']}）" in (
        approved.text
    )
    assert f"查看报销单：https://claims.example.com/claims/{claim['id']}" in approved.text
    assert "railclaim 报销系统（自动发送，请勿回复）" in approved.text
    assert approved.message["Message-ID"] != awaiting.message["Message-ID"]
    [sent_row] = session.exec(
        select(Notification).where(Notification.kind == "claim.approved")
    ).all()
    assert approved.message["Message-ID"] == f"<{sent_row.id}@railclaim.test>"
    assert (sent_row.status, sent_row.attempts, sent_row.last_error) == ("sent", 1, None)
    assert sent_row.sent_at is not None
    assert inbox.drain() == []


def test_without_a_public_url_the_mail_has_no_link(session: Session, engine: Engine, inbox: Inbox):
    queue_mail(session)
    send_pass(engine, smtp_at(inbox.port, public_url=None), now=utcnow())
    mail = inbox.next_mail()
    assert mail.text == "body 0\n\n-- railclaim (sent automatically; do not reply)"


# --- retries, refusals, dead, expired --------------------------------------------------------


def test_a_refused_connection_is_retried_after_the_backoff_and_then_sent(
    session: Session, engine: Engine, inbox: Inbox, refusing_port: int
):
    [mail_id] = queue_mail(session)
    now = utcnow()
    report = send_pass(engine, smtp_at(refusing_port), now=now)
    assert report == PassReport(attempted=1, server_unusable=True)
    failed = row(session, mail_id)
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.last_error is not None
    assert "ConnectionRefusedError" in failed.last_error
    assert failed.next_attempt_at == now + dt.timedelta(seconds=60)

    live = smtp_at(inbox.port)
    assert send_pass(engine, live, now=now + dt.timedelta(seconds=59)).attempted == 0
    assert inbox.drain() == []
    assert send_pass(engine, live, now=now + dt.timedelta(seconds=60)).attempted == 1
    assert inbox.next_mail().recipients == ["u0@example.com"]
    sent = row(session, mail_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)


def test_after_the_last_attempt_the_mail_is_dead_and_never_tried_again(
    session: Session, engine: Engine, refusing_port: int
):
    [mail_id] = queue_mail(session)
    now, down = utcnow(), smtp_at(refusing_port)
    waits = []
    for _attempt in range(SCHEDULE.max_attempts):
        assert send_pass(engine, down, now=now).attempted == 1
        pending = row(session, mail_id)
        waits.append(pending.next_attempt_at - now)
        now = pending.next_attempt_at
    dead = row(session, mail_id)
    assert (dead.status, dead.attempts) == ("dead", 3)
    assert waits[:2] == [dt.timedelta(seconds=60), dt.timedelta(seconds=240)]
    assert send_pass(engine, down, now=now + dt.timedelta(days=1)).attempted == 0


def test_a_server_that_is_down_costs_one_attempt_per_pass_not_one_per_mail(
    session: Session, engine: Engine, refusing_port: int
):
    ids = queue_mail(session, count=3)
    assert send_pass(engine, smtp_at(refusing_port), now=utcnow()).attempted == 1
    assert sorted(row(session, i).attempts for i in ids) == [0, 0, 1]


def test_a_5xx_refusal_is_final_and_a_4xx_one_is_retried(
    session: Session, engine: Engine, inbox: Inbox
):
    inbox.refuse = {
        "u0@example.com": "550 5.1.1 no such mailbox",
        "u1@example.com": "451 4.3.0 mailbox busy, try later",
    }
    ids = queue_mail(session, count=3)
    report = send_pass(engine, smtp_at(inbox.port), now=utcnow())
    assert report == PassReport(attempted=3)  # the refusals did not end the pass
    refused, busy, fine = (row(session, i) for i in ids)
    assert (refused.status, refused.attempts) == ("dead", 1)
    assert refused.last_error == "SMTP 550: 5.1.1 no such mailbox"
    assert (busy.status, busy.attempts) == ("pending", 1)
    assert busy.last_error == "SMTP 451: 4.3.0 mailbox busy, try later"
    assert fine.status == "sent"
    assert [m.recipients for m in inbox.drain()] == [["u2@example.com"]]


def test_an_address_smtp_cannot_carry_is_dead_at_once_and_the_pass_goes_on(
    session: Session, engine: Engine, inbox: Inbox
):
    [unsendable] = queue_mail(session, to="王@例子.cn")  # the API accepts it; plain SMTP cannot
    [fine] = queue_mail(session)
    assert send_pass(engine, smtp_at(inbox.port), now=utcnow()).attempted == 2
    dead = row(session, unsendable)
    assert (dead.status, dead.attempts) == ("dead", 1)
    assert dead.last_error is not None
    assert dead.last_error.startswith("unsendable: ")
    assert row(session, fine).status == "sent"
    assert [m.recipients for m in inbox.drain()] == [["u0@example.com"]]


def test_a_mail_older_than_the_age_limit_expires_unsent(
    session: Session, engine: Engine, inbox: Inbox
):
    now = utcnow()
    [old] = queue_mail(session, created_at=now - dt.timedelta(hours=73))
    [fresh] = queue_mail(session, created_at=now - dt.timedelta(hours=71))
    schedule = RetrySchedule(max_age=dt.timedelta(hours=72))
    assert send_pass(engine, smtp_at(inbox.port), now=now, schedule=schedule).attempted == 1  # type: ignore[attr-defined]
    assert (row(session, old).status, row(session, old).attempts) == ("expired", 0)
    assert row(session, fresh).status == "sent"
    assert len(inbox.drain()) == 1


# --- TLS and login ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_login(session: Session, engine: Engine, certificate: Path, security: str):
    box = Inbox()
    controller = start_server(box, tls=security, cert=certificate)
    try:
        config = smtp_at(
            controller.port, security=security, username=LOGIN[0], password=LOGIN[1],
            tls_context=client_context(certificate),
        )  # fmt: skip
        [mail_id] = queue_mail(session)
        assert send_pass(engine, config, now=utcnow()).attempted == 1
        assert box.next_mail().recipients == ["u0@example.com"]
        assert box.logins == [LOGIN[0].encode()]
        assert row(session, mail_id).status == "sent"
    finally:
        controller.stop()


def test_starttls_is_never_skipped_for_a_server_without_it(
    session: Session, engine: Engine, inbox: Inbox
):
    [mail_id] = queue_mail(session)
    config = smtp_at(inbox.port, security="starttls")
    assert send_pass(engine, config, now=utcnow()).server_unusable
    failed = row(session, mail_id)
    assert failed.status == "pending"
    assert failed.last_error is not None
    assert "STARTTLS" in failed.last_error
    assert inbox.drain() == []


def test_a_wrong_password_keeps_the_mail_for_a_retry(
    session: Session, engine: Engine, certificate: Path
):
    box = Inbox()
    controller = start_server(box, tls="starttls", cert=certificate)
    try:
        config = smtp_at(
            controller.port, security="starttls", username=LOGIN[0], password="wrong",
            tls_context=client_context(certificate),
        )  # fmt: skip
        [mail_id] = queue_mail(session)
        assert send_pass(engine, config, now=utcnow()).server_unusable
        failed = row(session, mail_id)
        assert (failed.status, failed.attempts) == ("pending", 1)
        assert failed.last_error is not None
        assert "SMTPAuthenticationError: SMTP 535" in failed.last_error
    finally:
        controller.stop()


# --- several senders -------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_leased_row_is_skipped_by_a_second_sender(session: Session, engine: Engine):
    ids = set(queue_mail(session, count=2))
    now, lease = utcnow(), dt.timedelta(minutes=5)
    with Session(engine) as first, Session(engine) as second:
        job_a = lease_next(first, now=now, lease=lease, schedule=SCHEDULE)
        # `first` has not committed: its row is locked, and the second sender skips it.
        job_b = lease_next(second, now=now, lease=lease, schedule=SCHEDULE)
        assert job_a is not None
        assert job_b is not None
        assert {job_a.notification_id, job_b.notification_id} == ids
        assert lease_next(second, now=now, lease=lease, schedule=SCHEDULE) is None
        first.commit()
        second.commit()


def test_two_concurrent_senders_never_send_a_row_twice(
    session: Session, engine: Engine, inbox: Inbox
):
    ids = queue_mail(session, count=40)
    config = smtp_at(inbox.port)
    start = threading.Barrier(2)
    reports: list[PassReport] = []

    def sender() -> None:
        start.wait(timeout=30)
        reports.append(send_pass(engine, config, now=utcnow()))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    mails: list[Mail] = inbox.drain()
    message_ids = [m.message["Message-ID"] for m in mails]
    assert len(message_ids) == 40
    assert len(set(message_ids)) == 40
    assert sum(r.attempted for r in reports) == 40
    rows = [row(session, i) for i in ids]
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_an_outcome_after_the_lease_was_taken_over_is_not_recorded(
    session: Session, engine: Engine
):
    [mail_id] = queue_mail(session)
    now, lease = utcnow(), dt.timedelta(minutes=5)
    with Session(engine) as db:
        stale = lease_next(db, now=now, lease=lease, schedule=SCHEDULE)
        db.commit()
        taken_over = lease_next(db, now=now + lease, lease=lease, schedule=SCHEDULE)
        db.commit()
        assert stale is not None
        assert taken_over is not None
        assert taken_over.attempt == 2
        assert record_outcome(db, stale, MailOutcome(sent=True), now=now, schedule=SCHEDULE) is None
        db.commit()
    assert (row(session, mail_id).status, row(session, mail_id).attempts) == ("pending", 2)


# --- the worker command ----------------------------------------------------------------------


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("RAILCLAIM_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("RAILCLAIM_STORAGE_DIR", str(settings.storage_dir))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_railclaim_worker_once_sends_the_mails_beside_the_webhooks(
    cli_env: pytest.MonkeyPatch, session: Session, inbox: Inbox
):
    ids = queue_mail(session, count=2)
    cli_env.setenv("RAILCLAIM_SMTP_HOST", "127.0.0.1")
    cli_env.setenv("RAILCLAIM_SMTP_PORT", str(inbox.port))
    cli_env.setenv("RAILCLAIM_SMTP_SECURITY", "none")
    cli_env.setenv("RAILCLAIM_SMTP_FROM", SENDER)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "0 deliveries attempted, 2 e-mails attempted" in result.output
    assert sorted(m.recipients[0] for m in inbox.drain()) == ["u0@example.com", "u1@example.com"]
    assert {row(session, i).status for i in ids} == {"sent"}


def test_railclaim_worker_once_with_e_mail_off_leaves_the_outbox(
    cli_env: pytest.MonkeyPatch, session: Session
):
    [mail_id] = queue_mail(session)
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "0 e-mails attempted" in result.output
    assert row(session, mail_id).status == "pending"


def test_an_smtp_host_without_a_from_address_is_one_error_line(cli_env: pytest.MonkeyPatch):
    cli_env.setenv("RAILCLAIM_SMTP_HOST", "127.0.0.1")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("error: RAILCLAIM_SMTP_FROM: an address such as")
