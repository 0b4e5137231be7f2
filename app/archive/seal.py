"""The content seal of an archive record: digests of the database rows it archived. Pure.

What a record seals lives in its `archive.recorded` audit event, whose HMAC (under the audit key
from settings, which a database superuser does not hold) covers it: rewriting the rows and the
record together still disagrees with the chain. Verify recomputes the same digests from the rows
it reads, so both sides go through `content_seal` and the value spellings below.

Only what never legitimately changes after posting is sealed: a document's 用途确认 date,
查验 result, warnings, red-letter link, a late XBRL rendition and a paper original's storage
place move on later; its fare, passenger and amounts do not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.archive.models import ArchiveRecord
from app.claims.models import Claim
from app.invoices.models import Invoice, PaperVoucher
from app.ledger.models import BookedDocument, JournalLine, JournalVoucher

# 2: the claim's number (BX-…, printed on the 报销单) is sealed with the claim. A record keeps
# the version it was sealed with, and verify recomputes its digests by that version.
SEAL_VERSION = 2

RECORD_FIELDS = (
    "reference", "voucher_id", "entity_id", "claim_id", "kind", "fiscal_year", "period",
    "voucher_number", "voucher_number_text", "total", "retention_until", "file_count",
    "metadata_sha256",
)  # fmt: skip
VOUCHER_FIELDS = (
    "id", "entity_id", "period", "number", "number_text", "date", "kind", "claim_id",
    "reverses_id", "attachments_count", "prepared_by_id", "approved_by_id", "total",
    "payment_reference",
)  # fmt: skip
LINE_FIELDS = (
    "line_no", "account_code", "account_name", "debit", "credit", "memo", "department",
    "cost_centre", "invoice_id", "paper_voucher_id", "tax_basis",
)  # fmt: skip
INVOICE_FIELDS = (
    "id", "invoice_number", "business_type", "is_red_letter", "issue_date", "train_number",
    "departure_station", "arrival_station", "travel_date", "departure_time", "seat_class",
    "carriage", "seat", "fare", "amount_excluding_tax", "tax_rate", "tax_amount",
    "e_ticket_number", "passenger_name", "passenger_id_masked", "buyer_name", "buyer_tax_id",
    "entity_id", "original_invoice_number", "source", "sha256", "owner_id", "status",
)  # fmt: skip
PAPER_FIELDS = (
    "id", "serial_number", "e_ticket_number", "ticket_key", "travel_date", "train_number",
    "departure_station", "arrival_station", "seat_class", "fare", "passenger_name",
    "passenger_id_masked", "entity_id", "owner_id", "scan_sha256", "status",
)  # fmt: skip
# Sealed for air documents, and for a railway one only where it departs from the railway values
# (see `_holds_railway_value`), so a railway row's digest is what it was before air existed (a
# record sealed then still verifies); a kind flipped either way changes the digest.
AIR_INVOICE_FIELDS = (
    "kind", "total_amount", "fuel_surcharge", "civil_aviation_fund", "other_taxes", "domestic",
    "segments",
)  # fmt: skip
AIR_PAPER_FIELDS = ("kind", "flight_number", "fuel_surcharge", "civil_aviation_fund", "other_taxes")
# The claim's state is sealed on its own (`claim_state`): it moves on from booked to paid.
CLAIM_FIELDS = ("id", "entity_id", "claimant_id", "title", "purpose", "total", "round")
CLAIM_FIELDS_BY_VERSION = {1: CLAIM_FIELDS, 2: (*CLAIM_FIELDS, "number")}

# The states a claim may legitimately reach after a record sealed it in the key state.
STATES_AFTER = {"booked": frozenset({"booked", "paid"}), "paid": frozenset({"paid"})}
# Records sealed before the content seal: the state their posting left the claim in.
STATE_OF_KIND = {"booking": "booked", "payment": "paid"}


@dataclass(frozen=True)
class SealedRows:
    """The rows one record archived, as read at posting time or at verify time."""

    record: ArchiveRecord
    voucher: JournalVoucher | None
    lines: Sequence[JournalLine]
    documents: dict[str, Invoice | PaperVoucher | None]
    booked: dict[str, BookedDocument]
    claim: Claim | None


def document_key(document: Invoice | PaperVoucher) -> str:
    kind = "invoice" if isinstance(document, Invoice) else "paper_voucher"
    return f"{kind}:{document.id}"


def booked_key(row: BookedDocument) -> str:
    if row.invoice_id is not None:
        return f"invoice:{row.invoice_id}"
    return f"paper_voucher:{row.paper_voucher_id}"


def line_document_keys(lines: Iterable[JournalLine]) -> list[str]:
    keys = [f"invoice:{ln.invoice_id}" for ln in lines if ln.invoice_id]
    keys += [f"paper_voucher:{ln.paper_voucher_id}" for ln in lines if ln.paper_voucher_id]
    return list(dict.fromkeys(keys))


def content_seal(rows: SealedRows, version: int = SEAL_VERSION) -> dict[str, Any]:
    """The digests an `archive.recorded` event carries under `content`, as `version` of the
    seal computes them (verify passes the version a record was sealed with)."""
    claim_fields = CLAIM_FIELDS_BY_VERSION[version]  # verify refuses a version it does not know
    voucher, claim = rows.voucher, rows.claim
    return {
        "version": version,
        "record": record_digest(rows.record),
        "voucher": digest(_fields(voucher, VOUCHER_FIELDS)) if voucher else None,
        "lines": digest([_fields(ln, LINE_FIELDS) for ln in _by_line_no(rows.lines)]),
        "line_count": len(rows.lines),
        "documents": {
            key: digest(_document(document, rows.booked.get(key)))
            for key, document in sorted(rows.documents.items())
        },
        "claim": digest(_fields(claim, claim_fields)) if claim else None,
        "claim_state": claim.state if claim else None,
    }


def record_digest(record: ArchiveRecord) -> str:
    """The digest of the record row itself, as `content_seal` seals it under `record`."""
    return digest(_fields(record, RECORD_FIELDS))


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _by_line_no(lines: Sequence[JournalLine]) -> list[JournalLine]:
    return sorted(lines, key=lambda ln: ln.line_no)


def _document(
    document: Invoice | PaperVoucher | None, booked: BookedDocument | None
) -> dict[str, Any] | None:
    if document is None:
        return None
    names: tuple[str, ...] = INVOICE_FIELDS if isinstance(document, Invoice) else PAPER_FIELDS
    air = AIR_INVOICE_FIELDS if isinstance(document, Invoice) else AIR_PAPER_FIELDS
    if document.kind != "railway":
        names += air
    else:
        # A railway row holds its air columns at their railway values, and so was sealed without
        # them; the amount reimbursed reads them, so one edited away (a 合计 other than the
        # fare, a fuel surcharge) joins the digest, which then differs from the sealed one.
        names += tuple(name for name in air if not _holds_railway_value(document, name))
    # The mark that finishes the document belongs to it: deleting it would let it be booked again.
    mark = {"id": str(booked.id), "voucher_id": str(booked.voucher_id)} if booked else None
    return {"fields": _fields(document, names), "booked": mark}


def _holds_railway_value(document: Invoice | PaperVoucher, name: str) -> bool:
    """The value a railway document holds in an air column (`kind` itself is railway here)."""
    value = getattr(document, name)
    if name == "kind":
        return True
    if name == "total_amount":
        return value is None or value == document.fare
    return not value  # None, 0 or an empty list of segments


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def _plain(value: Any) -> Any:
    """One spelling per value, whether it was just computed or read back from either engine."""
    if isinstance(value, Decimal):
        # Scale and the sign of zero vary (45.6600, -0.00 of a red line); the value does not.
        return format((value + 0).normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is not sealed: engines round it
        return value.isoformat()
    return value
