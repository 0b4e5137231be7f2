"""The JSON documents of an archive folder: approval history, paper voucher, metadata. Pure."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.archive.contents import FolderDocuments, VoucherContents
from app.claims.models import ClaimApproval, ClaimHistory
from app.invoices.air import reimbursed_amount
from app.invoices.models import Invoice, PaperVoucher
from app.ledger.words import amount_in_words

METADATA_SCHEMA = "railclaim-archive-metadata/1"
RETENTION_YEARS = 30
MEDIA_TYPES = {
    ".json": "application/json",
    ".html": "text/html",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".xml": "application/xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
_UNSAFE = re.compile(r"[^\w.\-]")


@dataclass(frozen=True)
class PlannedFile:
    """A file of the folder: its path there, role, and content address."""

    path: str
    role: str
    sha256: str
    size: int
    invoice_id: uuid.UUID | None = None
    paper_voucher_id: uuid.UUID | None = None


def archive_reference(fonds_code: str, period: str, number: int) -> str:
    """档号 <全宗号>-<year>-<MM>-<voucher no.>, e.g. Z001-2026-11-0001."""
    year, month = period.split("-")
    return f"{fonds_code}-{year}-{month}-{number:04d}"


def retention_until(fiscal_year: int) -> dt.date:
    """Counted from the day after the fiscal year ends, so the last retained day is 31 Dec."""
    return dt.date(fiscal_year + RETENTION_YEARS, 12, 31)


def safe_name(text: str) -> str:
    """A path component that is the same on every file system and inside a zip."""
    cleaned = _UNSAFE.sub("_", text).lstrip(".")
    return cleaned or "_"


def invoice_folder(invoice_number: str) -> str:
    return f"invoices/{safe_name(invoice_number)}"


def invoice_holds_path(invoice_number: str, path: str) -> bool:
    """Whether `path`, in a record's folder, is one of this invoice's files."""
    return path.startswith(invoice_folder(invoice_number) + "/")


def media_type(path: str) -> str:
    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    return MEDIA_TYPES.get(suffix, "application/octet-stream")


def to_json_bytes(document: Any) -> bytes:
    """Readable, stable JSON: the bytes are hashed, so one document has one spelling."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def approval_history(contents: FolderDocuments) -> dict[str, Any]:
    claim = contents.claim
    assert claim is not None
    return {
        "claim": {
            "id": str(claim.id),
            "title": claim.title,
            "purpose": claim.purpose,
            "claimant": _person(contents, claim.claimant_id),
            "total": str(claim.total),
        },
        "approvals": [_approval(contents, a) for a in contents.approvals],
        "history": [_history(contents, h) for h in contents.history],
    }


def _person(contents: FolderDocuments, user_id: uuid.UUID | None) -> dict[str, str | None] | None:
    if user_id is None:
        return None
    return {"id": str(user_id), "name": contents.name_of(user_id)}


def _approval(contents: FolderDocuments, approval: ClaimApproval) -> dict[str, Any]:
    return {
        "round": approval.round,
        "level": approval.level,
        "approver": _person(contents, approval.approver_id),
        "on_behalf_of": _person(contents, approval.on_behalf_of_id),
        "at": approval.at.isoformat(),
        "comment": approval.comment,
        "acknowledged_warnings": approval.acknowledged_warnings,
    }


def _history(contents: FolderDocuments, entry: ClaimHistory) -> dict[str, Any]:
    return {
        "action": entry.action,
        "actor": _person(contents, entry.actor_id),
        "at": entry.at.isoformat(),
        "comment": entry.comment,
    }


def invoice_summary(invoice: Invoice) -> dict[str, Any]:
    return {
        "type": "invoice",
        "kind": invoice.kind,
        "id": str(invoice.id),
        "invoice_number": invoice.invoice_number,
        "business_type": invoice.business_type,
        "issue_date": _iso(invoice.issue_date),
        "travel_date": _iso(invoice.travel_date),
        "train_number": invoice.train_number,
        "departure_station": invoice.departure_station,
        "arrival_station": invoice.arrival_station,
        "fare": str(invoice.fare),
        "tax_rate": _text(invoice.tax_rate),
        "tax_amount": _text(invoice.tax_amount),
        "total_amount": str(reimbursed_amount(invoice)),
        **(_air_invoice(invoice) if invoice.kind == "air" else {}),
        "passenger_name": invoice.passenger_name,
        "passenger_id_masked": invoice.passenger_id_masked,
        "source": invoice.source,
        "verification": invoice.verification,
        "verification_message": invoice.verification_message,
        "verified_at": invoice.verified_at.isoformat() if invoice.verified_at else None,
        "deduction_confirmed_on": _iso(invoice.deduction_confirmed_on),
        "status": invoice.status,
    }


def paper_summary(paper: PaperVoucher) -> dict[str, Any]:
    """The registered data and where the physical original is kept (it stays the original)."""
    return {
        "type": "paper-voucher",
        "kind": paper.kind,
        "id": str(paper.id),
        "serial_number": paper.serial_number,
        "e_ticket_number": paper.e_ticket_number,
        "travel_date": paper.travel_date.isoformat(),
        "train_number": paper.train_number or None,
        "departure_station": paper.departure_station,
        "arrival_station": paper.arrival_station,
        "seat_class": paper.seat_class,
        "fare": str(paper.fare),
        "total_amount": str(reimbursed_amount(paper)),
        **(_air_paper(paper) if paper.kind == "air" else {}),
        "passenger_name": paper.passenger_name,
        "passenger_id_masked": paper.passenger_id_masked,
        "original_received_on": _iso(paper.received_on),
        "original_location": paper.location,
        "scan_sha256": paper.scan_sha256,
    }


def _air_invoice(invoice: Invoice) -> dict[str, Any]:
    return {
        "fuel_surcharge": _text(invoice.fuel_surcharge),
        "civil_aviation_fund": _text(invoice.civil_aviation_fund),
        "other_taxes": _text(invoice.other_taxes),
        "domestic": invoice.domestic,
        "e_ticket_number": invoice.e_ticket_number,
        "segments": invoice.segments,
    }


def _air_paper(paper: PaperVoucher) -> dict[str, Any]:
    return {
        "flight_number": paper.flight_number,
        "fuel_surcharge": _text(paper.fuel_surcharge),
        "civil_aviation_fund": _text(paper.civil_aviation_fund),
        "other_taxes": _text(paper.other_taxes),
    }


def metadata(
    contents: VoucherContents, reference: str, files: list[PlannedFile], archived_at: dt.datetime
) -> dict[str, Any]:
    """DA/T 94/95 metadata: identity, amounts, documents, every other file with size and hash."""
    voucher, entity = contents.voucher, contents.entity
    fiscal_year = int(voucher.period[:4])
    return {
        "schema": METADATA_SCHEMA,
        "reference": reference,
        "entity": {"name": entity.name, "uscc": entity.uscc, "fonds_code": entity.fonds_code},
        "fiscal_year": fiscal_year,
        "period": voucher.period,
        "voucher_number": voucher.number,
        "voucher_number_text": voucher.number_text,
        "voucher_kind": voucher.kind,
        "voucher_date": voucher.date.isoformat(),
        "voucher_id": str(voucher.id),
        "claim_id": str(voucher.claim_id) if voucher.claim_id else None,
        "reverses_voucher_id": str(voucher.reverses_id) if voucher.reverses_id else None,
        "amounts": _amounts(contents),
        "documents": [invoice_summary(i) for i in contents.invoices]
        + [paper_summary(p) for p in contents.papers],
        "files": [
            {
                "path": f.path,
                "role": f.role,
                "format": media_type(f.path),
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in files
        ],
        "retention_until": retention_until(fiscal_year).isoformat(),
        "retention_years": RETENTION_YEARS,
        "archived_at": archived_at.isoformat(),
    }


def _amounts(contents: VoucherContents) -> dict[str, str]:
    total = contents.voucher.total
    # VAT lines carry their tax basis; the rest of the debit side is the expense.
    vat = sum((ln.debit - ln.credit for ln in contents.lines if ln.tax_basis), Decimal("0.00"))
    return {
        "total": str(total),
        "total_in_words": amount_in_words(total),
        "input_vat": str(vat),
        "currency": "CNY",
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _text(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None
