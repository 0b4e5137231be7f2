"""What a text field read from a file may hold before it becomes an invoice row.

A forged or broken XBRL can state anything: a 41-character train number reached the database and
failed there (a 500, and a ZIP batch lost whole). No real invoice prints values this long, so
the file is unreadable as an invoice. The limits are the invoice table's column widths (a test
keeps them equal). The passenger's ID is kept only as printed, masked: a file stating it in full
is masked here the way the face prints it, so the full number is never stored or archived.
"""

from __future__ import annotations

from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.model import UnreadableFile

FIELD_LIMITS = {
    "invoice_number": 20,
    "train_number": 16,
    "departure_station": 32,
    "arrival_station": 32,
    "seat_class": 16,
    "carriage": 8,
    "seat": 16,
    "e_ticket_number": 64,
    "passenger_name": 100,
    "passenger_id_masked": 32,
    "buyer_name": 200,
    "buyer_tax_id": 32,
    "original_invoice_number": 20,
}
_MASK = "****"


def refuse_overlong(fields: InvoiceFields) -> None:
    for name, limit in FIELD_LIMITS.items():
        value = getattr(fields, name)
        if value is not None and len(value) > limit:
            raise UnreadableFile(
                f"the {name.replace('_', ' ')} read from the file has {len(value)} characters; "
                f"no invoice prints more than {limit}"
            )


def masked_id(value: str | None) -> str | None:
    """The ID as the face prints it (`1101011990****1234`: the first 10 and the last 4 of 18);
    a value already masked (any `*`) is kept as it is."""
    if value is None or "*" in value or len(value) <= 8:
        return value
    shown = 10 if len(value) >= 18 else 4
    return f"{value[:shown]}{_MASK}{value[-4:]}"
