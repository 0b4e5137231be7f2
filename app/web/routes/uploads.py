"""The drag-and-drop upload page and its JSON endpoint (one file per request, for progress bars)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from starlette.responses import Response

from app.audit.deps import AuditKeyDep
from app.config import SettingsDep
from app.db import SessionDep
from app.invoices import queries
from app.invoices.deps import UploadServicesDep
from app.invoices.service import IntakeContext, upload_batch
from app.web.csrf import CsrfChecked
from app.web.errors import WEB_PAGE_TAG
from app.web.i18n import request_lang
from app.web.present import batch_row
from app.web.session import UploaderWebUser
from app.web.templating import render

pages = APIRouter(tags=[WEB_PAGE_TAG], include_in_schema=False)
# Not a page: errors here stay problem+json, which the upload script turns into a row.
json_api = APIRouter(prefix="/web", tags=["web-json"], include_in_schema=False)

ACCEPTED_SUFFIXES = (".pdf", ".ofd", ".xml", ".zip")
# Phones' pickers filter by media type, not by suffix: without these an Android picker may grey
# out a ZIP or an XML the 12306 app saved. The server still judges each file by its content.
ACCEPTED_TYPES = (
    "application/pdf",
    "application/ofd",
    "application/xml",
    "text/xml",
    "application/zip",
    "application/x-zip-compressed",
)


@pages.get("/invoices/upload")
def upload_page(request: Request, principal: UploaderWebUser, settings: SettingsDep) -> Response:
    accept = ",".join(ACCEPTED_SUFFIXES + ACCEPTED_TYPES)
    context = {"max_upload_mb": settings.max_upload_mb, "accept": accept}
    return render(request, "invoices/upload.html", context, principal=principal)


@json_api.post("/invoices/upload")
def upload_one_file(
    request: Request,
    session: SessionDep,
    key: AuditKeyDep,
    principal: UploaderWebUser,
    services: UploadServicesDep,
    _csrf: CsrfChecked,
    file: Annotated[UploadFile, File()],
) -> dict[str, Any]:
    """Ingests one file (a ZIP counts as one) through the batch service: a row per invoice."""
    ctx = IntakeContext(principal=principal, owner_hint=None, audit_key=key)
    received = [(file.filename or "", file.file.read())]
    results, counts = upload_batch(session, ctx, services, received)
    lang = request_lang(request)
    rows = [
        batch_row(
            lang, r, queries.invoice_out(session, principal, r.invoice) if r.invoice else None
        )
        for r in results
    ]
    return {"rows": rows, "counts": counts}
