"""Response bodies of the audit log endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel

from app.audit.chain import BrokenReason, ChainReport


class AuditEventOut(BaseModel):
    seq: int
    occurred_at: dt.datetime
    actor_id: uuid.UUID | None
    actor_username: str | None
    action: str
    object_type: str
    object_id: str | None
    entity_id: uuid.UUID | None
    details: dict[str, Any]
    prev_mac: str
    mac: str


class ChainHeadOut(BaseModel):
    seq: int
    mac: str


class BrokenLinkOut(BaseModel):
    seq: int
    reason: BrokenReason
    message: str


class ChainVerificationOut(BaseModel):
    ok: bool
    checked: int
    first_broken: BrokenLinkOut | None
    head: ChainHeadOut

    @classmethod
    def from_report(cls, report: ChainReport) -> ChainVerificationOut:
        broken = report.first_broken
        return cls(
            ok=report.ok,
            checked=report.checked,
            first_broken=BrokenLinkOut(seq=broken.seq, reason=broken.reason, message=broken.message)
            if broken
            else None,
            head=ChainHeadOut(seq=report.head.seq, mac=report.head.mac),
        )
