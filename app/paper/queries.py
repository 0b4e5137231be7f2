"""Reading paper vouchers within the caller's sight."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.auth.principal import Principal
from app.auth.visibility import visible_only
from app.invoices.air import paper_total
from app.invoices.models import PaperVoucher
from app.kit.pagination import paginate_table
from app.paper.schemas import PaperVoucherOut, ScanOut


def voucher_out(voucher: PaperVoucher) -> PaperVoucherOut:
    scan = None
    if voucher.scan_sha256 and voucher.scan_content_type:
        scan = ScanOut(
            sha256=voucher.scan_sha256,
            content_type=voucher.scan_content_type,
            url=f"/api/v1/paper-vouchers/{voucher.id}/scan",
        )
    return PaperVoucherOut(
        **voucher.model_dump(exclude={"warnings", "train_number"}),
        train_number=voucher.train_number or None,
        total_amount=paper_total(voucher),
        entity=voucher.entity_id,
        owner=voucher.owner_id,
        scan=scan,
        warnings=voucher.warnings,
    )


def list_vouchers(
    session: Session, principal: Principal, *, received: bool | None, cursor: str | None, limit: int
) -> tuple[list[PaperVoucherOut], str | None]:
    statement = select(PaperVoucher)
    statement = visible_only(statement, principal, PaperVoucher)
    if received is True:
        statement = statement.where(col(PaperVoucher.received_on).is_not(None))
    elif received is False:
        statement = statement.where(col(PaperVoucher.received_on).is_(None))
    rows, next_cursor = paginate_table(session, statement, PaperVoucher, cursor=cursor, limit=limit)
    return [voucher_out(v) for v in rows], next_cursor
