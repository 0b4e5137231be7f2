"""The face's QR code: its payload as 12306 prints it, and a QR-looking bitmap for the PDF image.

The bitmap is not a decodable QR symbol (no Reed-Solomon here): it has the three finder patterns
and payload-derived modules, enough for a PDF to carry an image XObject where real files do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from railclaim_devkit.synthetic.spec import InvoiceSpec, money

MODULES = 29  # a version-3 symbol: 29 x 29 modules


def qr_payload(spec: InvoiceSpec) -> str:
    """`01,51,,<发票号码>,<票价>,<YYYYMMDD>,,<4 hex>`; 51 is the railway e-ticket invoice type."""
    return qr_text("51", spec.invoice_number, spec.fare, spec.issue_date)


def qr_text(type_code: str, number: str, amount: Decimal, issue_date: dt.date) -> str:
    """`01,<type>,,<发票号码>,<amount>,<YYYYMMDD>,,<4 hex>`, the 数电票 QR payload."""
    check = hashlib.sha256(number.encode()).hexdigest()[:4].upper()
    return f"01,{type_code},,{number},{money(amount)},{issue_date:%Y%m%d},,{check}"


def qr_bitmap(payload: str) -> bytes:
    """1-bit rows, MSB first, each padded to whole bytes, 0 = black (DeviceGray)."""
    digest = b""
    counter = 0
    while len(digest) * 8 < MODULES * MODULES:
        digest += hashlib.sha256(f"{counter}:{payload}".encode()).digest()
        counter += 1
    rows = []
    for y in range(MODULES):
        bits = [_dark(x, y, digest) for x in range(MODULES)]
        bits += [False] * (-len(bits) % 8)
        row = bytearray()
        for start in range(0, len(bits), 8):
            byte = 0
            for bit in bits[start : start + 8]:
                byte = (byte << 1) | (0 if bit else 1)
            row.append(byte)
        rows.append(bytes(row))
    return b"".join(rows)


def _dark(x: int, y: int, digest: bytes) -> bool:
    for fx, fy in ((0, 0), (MODULES - 7, 0), (0, MODULES - 7)):
        ring = max(abs(x - fx - 3), abs(y - fy - 3))
        if ring <= 3:
            return ring != 2  # dark outer ring, light ring, dark 3 x 3 centre
        if ring == 4:
            return False  # the light separator around each finder
    index = y * MODULES + x
    return bool(digest[index // 8] >> (index % 8) & 1)
