"""Who performs a command: the principal, and the key its audit events are chained with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.audit.service import EventRecorder
from app.auth.principal import Principal


@dataclass(frozen=True)
class Actor:
    principal: Principal
    audit_key: bytes

    @property
    def id(self) -> uuid.UUID:
        return self.principal.id

    @property
    def recorder(self) -> EventRecorder:
        """Records the audit events of this actor's commands."""
        return EventRecorder(self.principal.user, self.audit_key)
