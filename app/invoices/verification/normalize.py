"""Comparison keys for field values from either side: a 查验 answer's strings or a ParsedInvoice.

Each reader turns a non-blank value into a key that equals the other side's key exactly when the
two mean the same thing, absorbing harmless variation (NFKC width, spacing, a printed 站/车/号 unit,
`553` vs `553.00`). A platform value that cannot be read raises `MalformedAnswer`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.invoices.parsing import BusinessType

_DATE = re.compile(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2}):?(\d{2})")
# sflzfpbz is Y/N in the published shape; other spellings seen in vendor APIs are accepted too.
_BLUE_FLAGS = {"y": True, "1": True, "true": True, "是": True, "蓝": True, "蓝字": True}
_RED_FLAGS = {"n": False, "0": False, "false": False, "否": False, "红": False, "红字": False}
_FLAGS = _BLUE_FLAGS | _RED_FLAGS
_BUSINESS_PREFIXES: tuple[tuple[str, BusinessType], ...] = (
    ("sale", "sale"),
    ("refund", "refund"),
    ("change", "change"),
    ("difference", "difference"),
    # 退差 before 退: both start with 退. 改签费/退票费/售票 share the first characters.
    ("退差", "difference"),
    ("退", "refund"),
    ("改", "change"),
    ("售", "sale"),
    ("销售", "sale"),
)


class MalformedAnswer(ValueError):
    """The platform's answer does not have the shape the 查验 contract promises."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_str(value: object) -> str:
    # JSON numbers are tolerated (some platforms send amounts or numbers unquoted); bool is not.
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    raise MalformedAnswer(f"expected a string, got {type(value).__name__}")


def text_key(value: object) -> str:
    """NFKC, no whitespace at all, case-folded: `ＡＢＣ 公司` and `abc公司` compare equal."""
    text = unicodedata.normalize("NFKC", _as_str(value))
    return "".join(text.split()).casefold()


def _unit_stripped(value: object, unit: str) -> str:
    key = text_key(value)
    return key.removesuffix(unit) if key != unit else key


def station_key(value: object) -> str:
    return _unit_stripped(value, "站")


def carriage_key(value: object) -> str:
    """`05车`, `05` and `5` are one carriage."""
    return _unit_stripped(value, "车").lstrip("0") or "0"


def seat_key(value: object) -> str:
    """`08A号`, `08a` and `8A` are one seat; an inner 号 (`11号下铺`) stays."""
    return _unit_stripped(value, "号").lstrip("0") or "0"


def amount_key(value: object) -> Decimal:
    """`553`, `553.0`, `553.00`, `￥553.00` and `1,553.00元` read as numbers, never floats."""
    if isinstance(value, Decimal):
        return value
    text = text_key(value).replace(",", "").removeprefix("¥").removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MalformedAnswer(f"not an amount: {text!r}") from None
    if not amount.is_finite():
        raise MalformedAnswer(f"not an amount: {text!r}")
    return amount


def date_key(value: object) -> dt.date:
    """`2025-03-20 10:11:12`, `2025-03-20`, `20250320` or `2025年3月20日`: the date part."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = text_key(value)
    match = _COMPACT_DATE.fullmatch(text[:8]) if text[:8].isdigit() else _DATE.match(text)
    if match is None:
        raise MalformedAnswer(f"not a date: {text!r}")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise MalformedAnswer(f"not a date: {text!r}") from None


def time_key(value: object) -> dt.time:
    """`09:00`, `09:00:00`, `0900` or `09:00开`: hour and minute."""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = text_key(value)
    match = _TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise MalformedAnswer(f"not a time: {text!r}")
    return dt.time(int(match[1]), int(match[2]))


def business_type_key(value: object) -> BusinessType:
    """售/退/改签/退差 (and 售票, 退票费, 改签费…) as the parser's business types."""
    text = text_key(value)
    for prefix, business_type in _BUSINESS_PREFIXES:
        if text.startswith(prefix):
            return business_type
    raise MalformedAnswer(f"unknown business type: {text!r}")


def blue_flag(value: object) -> bool:
    """sflzfpbz (是否蓝字发票标志): True for a blue invoice, False for a red-letter one."""
    if isinstance(value, bool):
        return value
    text = text_key(value)
    if text not in _FLAGS:
        raise MalformedAnswer(f"unknown blue/red flag: {text!r}")
    return _FLAGS[text]
