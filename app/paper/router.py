"""HTTP endpoints for paper vouchers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Response, UploadFile, status
from fastapi.responses import JSONResponse

from app.audit.deps import AuditKeyDep
from app.auth.actor import Actor
from app.auth.deps import CurrentUser, FinanceActor
from app.db import SessionDep
from app.invoices.deps import Uploader
from app.kit.idempotency import Idempotent
from app.kit.pagination import CursorQuery, LimitQuery, Page
from app.kit.single_file import one_file_part
from app.paper import queries, service
from app.paper.schemas import PaperVoucherCreate, PaperVoucherOut, ReceiveOriginal
from app.storage.deps import StoreDep

router = APIRouter(tags=["paper vouchers"])


@router.post(
    "/paper-vouchers",
    status_code=status.HTTP_201_CREATED,
    responses={
        409: {"description": "ticket-already-claimed"},
        422: {"description": "paper-after-transition or validation-error"},
    },
)
def register_paper_voucher(
    session: SessionDep, key: AuditKeyDep, principal: Uploader, body: PaperVoucherCreate
) -> PaperVoucherOut:
    actor = Actor(principal, key)
    return queries.voucher_out(service.register_voucher(session, actor, body))


@router.get("/paper-vouchers")
def list_paper_vouchers(
    session: SessionDep,
    principal: CurrentUser,
    received: bool | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[PaperVoucherOut]:
    return Page.of(
        queries.list_vouchers(session, principal, received=received, cursor=cursor, limit=limit)
    )


@router.get("/paper-vouchers/{voucher_id}")
def read_paper_voucher(
    session: SessionDep, principal: CurrentUser, voucher_id: uuid.UUID
) -> PaperVoucherOut:
    return queries.voucher_out(service.get_visible_voucher(session, principal, voucher_id))


@router.post("/paper-vouchers/{voucher_id}/scan", dependencies=[Depends(one_file_part("file"))])
def upload_scan(
    session: SessionDep,
    key: AuditKeyDep,
    principal: Uploader,
    store: StoreDep,
    voucher_id: uuid.UUID,
    file: Annotated[UploadFile, File(description="The scan: PDF, JPEG or PNG")],
) -> PaperVoucherOut:
    actor = Actor(principal, key)
    voucher = service.attach_scan(session, actor, store, voucher_id, file.file.read())
    return queries.voucher_out(voucher)


@router.get("/paper-vouchers/{voucher_id}/scan", response_class=Response)
def download_scan(
    session: SessionDep, principal: CurrentUser, store: StoreDep, voucher_id: uuid.UUID
) -> Response:
    scan = service.read_scan(session, principal, store, voucher_id)
    return Response(scan.data, media_type=scan.content_type, headers={"ETag": f'"{scan.sha256}"'})


@router.post("/paper-vouchers/{voucher_id}/receive", response_model=PaperVoucherOut)
def receive_paper_original(
    session: SessionDep,
    actor: FinanceActor,
    idempotent: Idempotent,
    voucher_id: uuid.UUID,
    body: ReceiveOriginal,
) -> PaperVoucherOut | JSONResponse:
    """Honours `Idempotency-Key` (SPEC): a repeat answers what the first request answered."""

    def action() -> PaperVoucherOut:
        return queries.voucher_out(service.receive_original(session, actor, voucher_id, body))

    return idempotent.run(user_id=actor.id, payload=body.model_dump(mode="json"), action=action)
