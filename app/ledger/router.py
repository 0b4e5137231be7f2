"""HTTP endpoints of the ledger: vouchers, exports, periods and the input-VAT report (reversals
post through app/posting, which archives them)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlmodel import Session

from app.audit.deps import AuditKeyDep
from app.auth.actor import Actor
from app.auth.deps import AdminActor, FinanceActor, FinanceUser, require_roles
from app.auth.models import Role
from app.auth.principal import Principal
from app.db import SessionDep
from app.invoices import queries as invoice_queries
from app.invoices.schemas import BulkDeductionConfirmation, DeductionConfirmation, InvoiceOut
from app.kit.bulk import BulkResult
from app.kit.dates import Instant, YearMonth
from app.kit.idempotency import Idempotency, Idempotent
from app.kit.pagination import CursorQuery, LimitQuery, Page
from app.kit.streaming import streamed_download
from app.ledger import exports, queries
from app.ledger.deduction import bulk_confirm_deduction, confirm_deduction
from app.ledger.periods import check_period_text
from app.ledger.schemas import InputVatReport, PeriodOut, VoucherOut
from app.ledger.service import set_period_status
from app.ledger.vat_report import input_vat_report

router = APIRouter(tags=["ledger"])
LedgerReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.AUDITOR, Role.ADMIN))]
PeriodQuery = Annotated[YearMonth, Query(description="YYYY-MM")]
PeriodPath = Annotated[YearMonth, Path(description="YYYY-MM")]


@router.get("/vouchers")
def list_vouchers(
    session: SessionDep,
    principal: LedgerReader,
    entity: uuid.UUID | None = None,
    period: Annotated[YearMonth | None, Query(description="YYYY-MM")] = None,
    updated_since: Annotated[
        Instant | None,
        Query(description="Only vouchers changed at or after this instant (with its offset)"),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[VoucherOut]:
    return Page.of(
        queries.list_vouchers(
            session,
            principal,
            entity=entity,
            period=period,
            updated_since=updated_since,
            cursor=cursor,
            limit=limit,
        )
    )


@router.get("/vouchers/export", response_class=StreamingResponse)
def export_vouchers(
    request: Request,
    session: SessionDep,
    key: AuditKeyDep,
    principal: LedgerReader,
    period: PeriodQuery,
    entity: uuid.UUID | None = None,
    format: exports.ExportFormat = "csv",
) -> StreamingResponse:
    entity_id = queries.resolve_entity(principal, entity)
    export = exports.record_export(session, principal, entity_id, period, format, key)
    return streamed_download(
        request, export.stream, filename=export.filename, media_type=export.media_type
    )


@router.get("/vouchers/{voucher_id}")
def read_voucher(session: SessionDep, principal: LedgerReader, voucher_id: uuid.UUID) -> VoucherOut:
    return queries.voucher_out(session, queries.get_voucher(session, principal, voucher_id))


@router.get("/periods")
def list_periods(
    session: SessionDep, principal: LedgerReader, entity: uuid.UUID | None = None
) -> list[PeriodOut]:
    return queries.list_periods(session, principal, entity)


def _period_command(
    session: Session,
    actor: Actor,
    idempotent: Idempotency,
    period: str,
    entity: uuid.UUID | None,
    *,
    close: bool,
) -> PeriodOut | JSONResponse:
    check_period_text(period)
    return idempotent.run(
        user_id=actor.id,
        payload={"entity": str(entity)},
        action=lambda: set_period_status(session, actor, entity=entity, period=period, close=close),
    )


@router.post("/periods/{period}/close", response_model=PeriodOut)
def close_period(
    session: SessionDep,
    actor: FinanceActor,
    idempotent: Idempotent,
    period: PeriodPath,
    entity: uuid.UUID | None = None,
) -> PeriodOut | JSONResponse:
    return _period_command(session, actor, idempotent, period, entity, close=True)


@router.post("/periods/{period}/reopen", response_model=PeriodOut)
def reopen_period(
    session: SessionDep,
    actor: AdminActor,
    idempotent: Idempotent,
    period: PeriodPath,
    entity: uuid.UUID | None = None,
) -> PeriodOut | JSONResponse:
    return _period_command(session, actor, idempotent, period, entity, close=False)


@router.get("/reports/input-vat")
def read_input_vat_report(
    session: SessionDep,
    principal: LedgerReader,
    period: PeriodQuery,
    entity: uuid.UUID | None = None,
) -> InputVatReport:
    return input_vat_report(session, queries.resolve_entity(principal, entity), period)


@router.post("/invoices/{invoice_id}/deduction-confirmation", tags=["invoices"])
def confirm_invoice_deduction(
    session: SessionDep,
    key: AuditKeyDep,
    principal: FinanceUser,
    invoice_id: uuid.UUID,
    body: DeductionConfirmation,
) -> InvoiceOut:
    """The 用途确认 done in the 税务数字账户; not into or out of a closed period."""
    invoice = confirm_deduction(session, principal, invoice_id, body.confirmed_on, key)
    return invoice_queries.invoice_out(session, principal, invoice)


@router.post(
    "/invoices/bulk-deduction-confirmation", response_model_exclude_none=True, tags=["invoices"]
)
def bulk_confirm_invoice_deduction(
    session: SessionDep,
    key: AuditKeyDep,
    principal: FinanceUser,
    body: BulkDeductionConfirmation,
) -> BulkResult:
    """Each invoice is confirmed (or refused) as its single confirmation would be."""
    return bulk_confirm_deduction(session, principal, body.invoice_ids, body.confirmed_on, key)
