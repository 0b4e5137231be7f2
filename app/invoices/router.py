"""HTTP endpoints for invoice uploads, batches, reads, original files and the business type
finance settles (the 用途确认's are the ledger's, app/ledger/router.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Response, UploadFile, status

from app.audit.deps import AuditKeyDep
from app.auth.deps import CurrentUser, FinanceUser
from app.auth.principal import Principal
from app.db import SessionDep
from app.invoices import queries
from app.invoices.deps import Uploader, UploadServicesDep
from app.invoices.schemas import (
    BatchItem,
    BatchResult,
    BusinessTypeSetting,
    InvoiceOut,
)
from app.invoices.service import (
    IntakeContext,
    ItemResult,
    is_bundle,
    settle_business_type,
    upload_batch,
    upload_invoice,
)
from app.kit.dates import Day
from app.kit.filenames import content_disposition
from app.kit.pagination import CursorQuery, LimitQuery, Page
from app.kit.single_file import one_file_part
from app.kit.text import QueryText
from app.storage.deps import StoreDep

router = APIRouter(tags=["invoices"])

UPLOAD_RESPONSES: dict[int | str, dict[str, str]] = {
    200: {"description": "A new rendition joined a stored invoice, or a ZIP's batch results"},
    409: {"description": "duplicate-invoice or ticket-already-claimed"},
    413: {"description": "too-large"},
    415: {"description": "unsupported-format"},
    422: {"description": "unreadable-file, encrypted-file, not-a-travel-invoice, buyer-mismatch"},
}


def _batch_json(
    session: SessionDep, principal: Principal, results: list[ItemResult], counts: dict[str, int]
) -> BatchResult:
    # One query for the files of every invoice, not one per result (a batch holds thousands).
    invoices = {r.invoice.id: r.invoice for r in results if r.invoice}
    rendered = dict(
        zip(
            invoices, queries.invoices_out(session, principal, list(invoices.values())), strict=True
        )
    )
    items = [
        BatchItem(
            file=r.file,
            member=r.member,
            outcome=r.outcome,
            invoice=rendered[r.invoice.id] if r.invoice else None,
            problem=r.problem,
        )
        for r in results
    ]
    return BatchResult(results=items, counts=counts)


@router.post(
    "/invoices",
    status_code=status.HTTP_201_CREATED,
    responses=UPLOAD_RESPONSES,
    dependencies=[Depends(one_file_part("file", several_go_to="/api/v1/invoice-batches"))],
)
def upload_invoice_file(
    session: SessionDep,
    key: AuditKeyDep,
    principal: Uploader,
    services: UploadServicesDep,
    file: Annotated[UploadFile, File(description="PDF, OFD, XML (XBRL) or a ZIP of them")],
    response: Response,
    owner: Annotated[uuid.UUID | None, Form(description="Owner (finance and systems)")] = None,
) -> InvoiceOut | BatchResult:
    data = file.file.read()
    ctx = IntakeContext(principal=principal, owner_hint=owner, audit_key=key)
    name = file.filename or ""
    if is_bundle(data):
        results, counts = upload_batch(session, ctx, services, [(name, data)])
        response.status_code = status.HTTP_200_OK
        return _batch_json(session, principal, results, counts)
    ingested = upload_invoice(session, ctx, services, name, data)
    if ingested.outcome != "created":
        response.status_code = status.HTTP_200_OK
    return queries.ingested_out(session, principal, ingested)


@router.post("/invoice-batches")
def upload_invoice_batch(
    session: SessionDep,
    key: AuditKeyDep,
    principal: Uploader,
    services: UploadServicesDep,
    files: Annotated[list[UploadFile], File(description="Files and ZIPs; each stands alone")],
    owner: Annotated[uuid.UUID | None, Form()] = None,
) -> BatchResult:
    ctx = IntakeContext(principal=principal, owner_hint=owner, audit_key=key)
    received = [(f.filename or "", f.file.read()) for f in files]
    results, counts = upload_batch(session, ctx, services, received)
    return _batch_json(session, principal, results, counts)


@router.get("/invoices")
def list_invoices(
    session: SessionDep,
    principal: CurrentUser,
    status_: Annotated[
        Literal["available", "claimed", "booked", "void"] | None, Query(alias="status")
    ] = None,
    travel_date_from: Day | None = None,
    travel_date_to: Day | None = None,
    q: Annotated[QueryText | None, Query(max_length=64)] = None,
    owner: Annotated[str | None, Query(description="A user id, or `none` for unassigned")] = None,
    kind: Literal["railway", "air"] | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[InvoiceOut]:
    filters = queries.InvoiceFilters(
        status=status_,
        kind=kind,
        travel_date_from=travel_date_from,
        travel_date_to=travel_date_to,
        q=q,
        owner=queries.parse_owner_filter(owner),
    )
    items, next_cursor = queries.list_invoices(
        session, principal, filters, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/invoices/{invoice_id}")
def read_invoice(session: SessionDep, principal: CurrentUser, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = queries.get_visible_invoice(session, principal, invoice_id)
    return queries.invoice_out(session, principal, invoice)


@router.get("/invoices/{invoice_id}/files/{rendition}", response_class=Response)
def download_original(
    session: SessionDep,
    principal: CurrentUser,
    store: StoreDep,
    invoice_id: uuid.UUID,
    rendition: Literal["pdf", "ofd", "xml"],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    invoice = queries.get_visible_invoice(session, principal, invoice_id)
    original = queries.read_original(session, store, invoice, rendition)
    etag = f'"{original.sha256}"'
    headers = {
        "ETag": etag,
        "Content-Disposition": content_disposition(
            "attachment", original.filename, f"invoice.{rendition}"
        ),
        "Cache-Control": "private, max-age=31536000, immutable",
    }
    if queries.etag_matches(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(original.data, media_type=original.media_type, headers=headers)


@router.post(
    "/invoices/{invoice_id}/business-type",
    responses={409: {"description": "invalid-state (not flagged unclear, or booked)"}},
)
def set_invoice_business_type(
    session: SessionDep,
    key: AuditKeyDep,
    principal: FinanceUser,
    invoice_id: uuid.UUID,
    body: BusinessTypeSetting,
) -> InvoiceOut:
    """Finance sets the business type of an invoice flagged `business-type-unclear` (audited)."""
    invoice = settle_business_type(
        session, principal, invoice_id, body.business_type, body.comment, key
    )
    return queries.invoice_out(session, principal, invoice)
