"""Validated text types for request bodies and query strings: no control characters, no lone
surrogates; bodies also in NFC form."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError


def _clean(value: str) -> str:
    value = unicodedata.normalize("NFC", value.strip())
    for char in value:
        category = unicodedata.category(char)
        # Cs: lone surrogates cannot be stored as UTF-8; Cc/Cf hide text or break logs.
        if category in ("Cs", "Cc") or (category == "Cf" and char != "\u200d"):
            raise PydanticCustomError(
                "control_characters", "must not contain control or invisible characters"
            )
    if not value:
        raise PydanticCustomError("blank", "must not be blank")
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_clean)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_clean)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_clean)]


def _clean_paragraph(value: str) -> str:
    # Free text (a purpose, a reason) may run over several lines; other controls stay refused.
    text = "\n".join(_clean(line) if line.strip() else "" for line in value.split("\n")).strip()
    if not text:
        raise PydanticCustomError("blank", "must not be blank")
    return text


Paragraph = Annotated[
    str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_clean_paragraph)
]


def refuse_control_characters(value: str) -> str:
    """The value, unless it holds control characters or lone surrogates (PostgreSQL refuses NUL
    in text outright; other controls only hide what was searched, or what a parser dropped)."""
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise PydanticCustomError("control_characters", "must not contain control characters")
    return value


# Free text in a query string (searches, filters), taken as typed otherwise.
QueryText = Annotated[str, AfterValidator(refuse_control_characters)]
