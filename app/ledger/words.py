"""Amounts in 人民币大写 (capital Chinese numerals), as printed on vouchers. Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """Up to four digits, with the zeros a reader says (一千零五 → 壹仟零伍)."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _integer(number: int) -> str:
    if number == 0:
        return "零"
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text = ""
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            if text and not text.endswith("零"):
                text += "零"
            continue
        if text and value < 1000 and not text.endswith("零"):
            text += "零"  # a gap inside the number: 壹万零伍佰
        text += _group(value) + GROUP_UNITS[index]
    return text.rstrip("零")


def amount_in_words(amount: Decimal) -> str:
    """E.g. 553.00 → 人民币伍佰伍拾叁元整; negative amounts (reversals) start with 负."""
    cents = int((abs(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = ("负" if amount < 0 else "") + "人民币"
    if yuan:
        text += _integer(yuan) + "元"
    if jiao == 0 and fen == 0:
        return text + ("整" if yuan else "零元整")
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text
