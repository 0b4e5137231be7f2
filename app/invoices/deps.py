"""Dependencies of the invoice endpoints: upload services (store, verifier, limits), uploaders
(async: they read only the app's state, so they cost no hop to the thread pool)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import require_roles
from app.auth.models import Role
from app.auth.principal import Principal
from app.invoices.parsing import ParseLimits
from app.invoices.service import UploadServices


async def get_upload_services(request: Request) -> UploadServices:
    settings = request.app.state.settings
    return UploadServices(
        store=request.app.state.store,
        verifier=request.app.state.verifier,
        limits=ParseLimits(max_bytes=settings.max_upload_bytes),
    )


UploadServicesDep = Annotated[UploadServices, Depends(get_upload_services)]
# Auditors never write; approvers upload as the employees they also are.
Uploader = Annotated[Principal, Depends(require_roles(Role.EMPLOYEE, Role.FINANCE, Role.ADMIN))]
