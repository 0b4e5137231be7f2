"""Writing a notification into the outbox, in the transaction of the change that causes it."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app.auth.models import User
from app.db import utcnow
from app.notifications.messages import ClaimNotice, render_notice
from app.notifications.models import NOTIFICATION_KINDS, Notification


def notify_user(session: Session, *, user_id: uuid.UUID, kind: str, notice: ClaimNotice) -> bool:
    """Adds the message for `user_id` to the caller's transaction; the caller commits.

    Users without an e-mail address, and deactivated ones, get nothing (False). The text is
    rendered now, in the user's language, so the sender only sends what was decided here."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    user = session.get(User, user_id)
    if user is None or not user.is_active or not user.email:
        return False
    subject, body = render_notice(kind, user.language, notice)
    now = utcnow()
    session.add(
        Notification(
            user_id=user.id,
            claim_id=notice.claim_id,
            kind=kind,
            to_address=user.email,
            language=user.language,
            subject=subject,
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return True
