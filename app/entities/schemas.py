"""Request and response bodies of the legal entity endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from app.kit.text import Code, Name
from app.kit.uscc import is_valid_uscc


def _check_uscc(value: str) -> str:
    if not is_valid_uscc(value):
        raise PydanticCustomError(
            "invalid_uscc",
            "not a valid 统一社会信用代码: 18 characters ending in the GB 32100-2015 check digit",
        )
    return value


Uscc = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, min_length=18, max_length=18),
    AfterValidator(_check_uscc),
]
TaxpayerType = Literal["general", "small-scale"]


class EntityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    uscc: Uscc
    taxpayer_type: TaxpayerType = "general"
    fonds_code: Code | None = None


class EntityOut(BaseModel):
    id: uuid.UUID
    name: str
    uscc: str
    taxpayer_type: TaxpayerType
    fonds_code: str
    created_at: dt.datetime
