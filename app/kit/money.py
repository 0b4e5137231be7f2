"""Money in JSON: Decimal in code, a string with two places on the wire, never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import PlainSerializer

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _money_text(value: Decimal) -> str:
    return str(to_cents(value))


def _rate_text(value: Decimal) -> str:
    # "0.09" and "0.06" as printed; an unusual rate keeps every digit it has.
    return str(value.quantize(CENT)) if value == value.quantize(CENT) else str(value.normalize())


Money = Annotated[Decimal, PlainSerializer(_money_text, return_type=str, when_used="json")]
Rate = Annotated[Decimal, PlainSerializer(_rate_text, return_type=str, when_used="json")]
