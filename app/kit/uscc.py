"""统一社会信用代码 (unified social credit code) check digit per GB 32100-2015. Pure stdlib."""

from __future__ import annotations

import re

# 31 characters: the digits and the capitals without I, O, Z, S, V (too easily misread).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"^[{ALPHABET}]{{18}}$")


def uscc_check_char(first17: str) -> str:
    """The 18th character that completes the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in ALPHABET for c in first17):
        raise ValueError("a USCC body is 17 characters of the GB 32100 alphabet")
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when the code has the right shape and its check character matches."""
    return bool(_SHAPE.match(code)) and uscc_check_char(code[:17]) == code[17]
