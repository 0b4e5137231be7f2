"""Findings on one invoice's fields: its kind's arithmetic, number structure, USCC, dates."""

from __future__ import annotations

import re

from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.kind_rules import KindRules
from app.invoices.parsing.model import Finding

# Province-level 行政区划 codes (GB/T 2260), the 3rd-4th digits of a railway 发票号码.
_NORTH_EAST_EAST = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37"
_CENTRAL_SOUTH_WEST = "41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
REGION_CODES = frozenset(f"{_NORTH_EAST_EAST} {_CENTRAL_SOUTH_WEST}".split())
# GB 32100-2015: 31 characters (no I, O, Z, S, V) and weights 3^i mod 31 for positions 1-17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def check_invoice(fields: InvoiceFields, rules: KindRules) -> list[Finding]:
    """Every finding the fields alone support, in a stable order: the kind's amounts first."""
    return [
        *rules.check_amounts(fields),
        *_signs_agree(fields),
        *_invoice_number_structure(fields),
        *_uscc_check_digit(fields),
        *_issue_before_travel(fields),
        *_red_letter(fields),
    ]


_SIGNED_PARTS = (
    "amount_excluding_tax", "tax_amount", "fuel_surcharge", "civil_aviation_fund", "other_taxes",
    "total_amount",
)  # fmt: skip


def _signs_agree(fields: InvoiceFields) -> list[Finding]:
    """Every amount has the fare's sign (a blue invoice's are all ≥ 0, a red-letter or 退差 one's
    all ≤ 0). The sums alone would pass a negative amount excluding tax beside a tax larger than
    the fare, which booked as a negative expense beside an inflated input VAT."""
    fare = fields.fare
    if fare is None:
        return []
    negative = fare < 0
    opposite = [
        name
        for name in _SIGNED_PARTS
        if (value := getattr(fields, name)) is not None and value != 0 and (value < 0) != negative
    ]
    return [
        Finding("arithmetic", f"{name} {getattr(fields, name)} has the opposite sign of the "
                f"fare {fare}", name)
        for name in opposite
    ]  # fmt: skip


def _invoice_number_structure(fields: InvoiceFields) -> list[Finding]:
    number = fields.invoice_number or ""

    def finding(message: str) -> list[Finding]:
        return [Finding("invoice-number-structure", message, "invoice_number")]

    if not re.fullmatch(r"\d{20}", number):
        return finding(f"invoice number {number!r} is not 20 digits")
    if fields.issue_date is not None and number[:2] != f"{fields.issue_date.year % 100:02d}":
        return finding(f"invoice number year {number[:2]} ≠ issue year {fields.issue_date.year}")
    if number[2:4] not in REGION_CODES:
        return finding(f"invoice number region {number[2:4]} is no known region code")
    return []


def is_valid_uscc(code: str) -> bool:
    if not _USCC_SHAPE.match(code):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def _uscc_check_digit(fields: InvoiceFields) -> list[Finding]:
    code = fields.buyer_tax_id
    if code is None or is_valid_uscc(code):
        return []  # a personal title carries no code
    return [Finding("uscc-check-digit", f"buyer USCC {code} fails its check digit", "buyer_tax_id")]


def _issue_before_travel(fields: InvoiceFields) -> list[Finding]:
    # Sales are issued after the journey; refund and change fees may be paid before it. A negative
    # amount read from a face may be a 退差 the face does not name, so only blue sales count.
    issue, travel = fields.issue_date, fields.travel_date
    if fields.business_type != "sale" or fields.fare is None or fields.fare < 0:
        return []
    if issue is None or travel is None or issue >= travel:
        return []
    message = f"a sale invoice issued {issue} before its travel date {travel}"
    return [Finding("issue-before-travel", message, "issue_date")]


def _red_letter(fields: InvoiceFields) -> list[Finding]:
    # A 退差 invoice refunds a fare difference: negative by nature, not a reversal.
    if fields.fare is None or fields.fare >= 0 or fields.business_type == "difference":
        return []
    original = fields.original_invoice_number or "an unnamed invoice"
    return [Finding("red-letter", f"red-letter invoice reversing {original}", "fare")]
