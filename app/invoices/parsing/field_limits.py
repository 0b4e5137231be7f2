"""What a value read from a file may hold before it becomes an invoice row.

A forged or broken XBRL can state anything: a 41-character train number or a fare of 10¹⁴
reached the database and failed there (a 500, and a ZIP batch lost whole). No real invoice
prints such values, so the file is unreadable as an invoice. The limits are the invoice table's
column widths and precision (a test keeps them equal). The passenger's ID is kept only as
printed, masked: a file stating it in full is masked the way the face prints it, so the row,
the API and the archive's metadata never hold the full number (the original file, archived
unchanged as the law requires, still holds what it stated).
"""

from __future__ import annotations

from decimal import Decimal

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
MONEY_FIELDS = (
    "fare", "amount_excluding_tax", "tax_amount", "fuel_surcharge", "civil_aviation_fund",
    "other_taxes", "total_amount",
)  # fmt: skip
# The money columns are NUMERIC(14, 2): 12 digits before the point, 2 after.
MONEY_LIMIT = Decimal(10) ** 12
_CENT = Decimal("0.01")
_MASK = "****"


def refuse_out_of_range(fields: InvoiceFields) -> None:
    """Refuses (unreadable-file) a file stating what no invoice prints and no column holds."""
    for name, limit in FIELD_LIMITS.items():
        value = getattr(fields, name)
        if value is not None and len(value) > limit:
            _refuse(name, f"has {len(value)} characters; no invoice prints more than {limit}")
    for name in MONEY_FIELDS:
        amount = getattr(fields, name)
        if amount is not None and (abs(amount) >= MONEY_LIMIT or amount != amount.quantize(_CENT)):
            _refuse(
                name, f"is {amount}: no amount of an invoice, which has at most 12 digits and cents"
            )
    rate = fields.tax_rate
    if rate is not None and not Decimal(0) <= rate <= Decimal(1):
        _refuse("tax_rate", f"is {rate}: no VAT rate")


def _refuse(name: str, what: str) -> None:
    raise UnreadableFile(f"the {name.replace('_', ' ')} read from the file {what}")


def masked_id(value: str | None) -> str | None:
    """The ID as the face prints it (`1101011990****1234`: the first 10 and the last 4 of 18;
    other IDs their last 4); a value already masked (any `*`) is kept as it is."""
    if value is None or "*" in value:
        return value
    if len(value) == 18:  # 居民身份证: as the face prints it
        return f"{value[:10]}{_MASK}{value[-4:]}"
    return f"{_MASK}{value[-4:]}"  # a passport or older ID: its last four only
