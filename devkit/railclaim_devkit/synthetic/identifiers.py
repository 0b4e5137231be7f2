"""Identifiers with valid structure: 发票号码, 统一社会信用代码, masked ID numbers, 电子客票号."""

from __future__ import annotations

import datetime as dt
import random

from railclaim_devkit.synthetic.values import REGION_TAX_BUREAUS

# GB 32100-2015: 31 characters (no I, O, Z, S, V) and the weights 3^i mod 31 of positions 1-17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 organisation code (USCC positions 9-17): 8 body characters and a check character.
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Every observed railway 发票号码 carries channel digit 9 (12306 online).
CHANNEL_12306 = "9"
# ID-number check digit (GB 11643-1999), so masked IDs end the way real ones can (incl. X).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_with_check_digit(base17: str) -> str:
    """Complete a 17-character USCC body with its GB 32100-2015 check character."""
    if len(base17) != 17 or any(c not in USCC_ALPHABET for c in base17):
        raise ValueError(f"USCC body must be 17 characters of {USCC_ALPHABET!r}: {base17!r}")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(base17, USCC_WEIGHTS, strict=True))
    return base17 + USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when `code` is 18 characters of the USCC alphabet with the right check character."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_with_check_digit(code[:17]) == code


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def random_uscc(rng: random.Random, region: str | None = None) -> str:
    """A valid 18-character USCC of an enterprise (9 = market regulator, 1 = enterprise)."""
    region = region or rng.choice(sorted(REGION_TAX_BUREAUS))
    county = f"{region}{rng.randint(1, 20):02d}{rng.randint(1, 15):02d}"
    return uscc_with_check_digit("91" + county + _org_code(rng))


def invoice_number(
    issue_date: dt.date, region: str, sequence: int, channel: str = CHANNEL_12306
) -> str:
    """A 20-digit 发票号码: issue year (2) + region (2) + channel (1) + 15-digit sequence."""
    if region not in REGION_TAX_BUREAUS:
        raise ValueError(f"unknown region code {region!r}")
    if not 0 <= sequence < 10**15:
        raise ValueError("sequence must fit in 15 digits")
    if len(channel) != 1 or not channel.isdigit():
        raise ValueError("the channel is one digit")
    return f"{issue_date.year % 100:02d}{region}{channel}{sequence:015d}"


def random_invoice_number(
    rng: random.Random, issue_date: dt.date, region: str, channel: str = CHANNEL_12306
) -> str:
    return invoice_number(issue_date, region, rng.randrange(10**15), channel)


def masked_id_number(rng: random.Random, birth_year: int | None = None) -> str:
    """An ID number masked as printed: first 10 characters + **** + last 4 (check digit valid)."""
    region = (
        f"{rng.choice(sorted(REGION_TAX_BUREAUS))}{rng.randint(1, 20):02d}{rng.randint(1, 9):02d}"
    )
    year = birth_year or rng.randint(1950, 2006)
    body = (
        f"{region}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    )
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    full = body + check
    return f"{full[:10]}****{full[-4:]}"


def random_e_ticket_number(rng: random.Random, travel_date: dt.date) -> str:
    """A 25-character 电子客票号; about one in five carries a letter (observed), kept opaque."""
    digits = "".join(rng.choice("0123456789") for _ in range(20))
    if rng.random() < 0.2:
        digits = rng.choice("EHJKLMN") + digits[1:]
    return f"{digits}{travel_date.year:04d}{travel_date.day % 10}"
