"""FastAPI dependencies of the audit log: the key its chain is sealed with (no I/O, so async)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.audit.service import audit_key
from app.config import SettingsDep


async def _audit_key(settings: SettingsDep) -> bytes:
    return audit_key(settings)


AuditKeyDep = Annotated[bytes, Depends(_audit_key)]
