"""GB 32100-2015 check characters of 统一社会信用代码."""

from __future__ import annotations

import pytest

from app.kit.uscc import is_valid_uscc, uscc_check_char


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91310000MA1FL0DEM0"],
)
def test_valid_codes(code: str):
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",
        "91350100M000100Y4",
        "91350100M000100Y433",
        "91350100M000I00Y43",
        "91350100m000100y43",
        "",
        "9135010OM000100Y43",
    ],
)
def test_invalid_codes(code: str):
    assert not is_valid_uscc(code)


def test_every_single_character_change_is_caught():
    code = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        for char in alphabet:
            if char != code[position]:
                mutated = code[:position] + char + code[position + 1 :]
                assert not is_valid_uscc(mutated), mutated


def test_check_char_rejects_a_bad_body():
    with pytest.raises(ValueError, match="17 characters"):
        uscc_check_char("123")
