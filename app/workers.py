"""`railclaim worker`: the webhook deliverer and the e-mail sender, side by side in one process."""

from __future__ import annotations

import logging
import signal
import threading

from app.config import Settings
from app.notifications import worker as mail
from app.notifications.smtp import SmtpConfig
from app.webhooks import worker as hooks

logger = logging.getLogger("railclaim.worker")


def check_settings(settings: Settings) -> None:
    """Raises SmtpSettingsError for SMTP settings that cannot work, before anything starts."""
    SmtpConfig.from_settings(settings)


def run_once(settings: Settings) -> tuple[int, int]:
    """One pass of each over what is due now: (webhook deliveries, e-mails) attempted."""
    return hooks.run_once(settings), mail.run_once(settings)


def run_until_signalled(settings: Settings) -> None:
    """Both loops until SIGINT or SIGTERM; each finishes what it has in hand, then stops.

    Should either loop die of a bug, the other stops too: a process that exits is restarted by
    its supervisor, while half a worker would go on looking healthy."""
    stop_event = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: stop_event.set())
    sender = threading.Thread(
        target=_run_mail, args=(settings, stop_event), name="mail-sender", daemon=True
    )
    sender.start()
    try:
        hooks.run_worker(settings, stop_event)
    finally:
        stop_event.set()
        sender.join()


def _run_mail(settings: Settings, stop_event: threading.Event) -> None:
    try:
        mail.run_sender(settings, stop_event)  # returns at once when e-mail is off
    except BaseException:
        logger.exception("e-mail sender failed; stopping the worker")
        stop_event.set()
        raise
