"""The finance lists' bulk forms: ticked ids plus the one date (and reference) they share."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from app.kit.text import ShortText

MAX_TICKED = 200
Ticked = Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_TICKED)]


class BulkBookForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    claim_ids: Ticked
    booking_date: dt.date | None = None


class BulkPayForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    claim_ids: Ticked
    paid_on: dt.date
    reference: ShortText


class BulkDeductionForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    invoice_ids: Ticked
    confirmed_on: dt.date


def ticked(form: dict[str, Any], name: str) -> dict[str, Any]:
    """One ticked box posts a string, several a list, none nothing: always a list here."""
    value = form.get(name)
    values = value if isinstance(value, list) else ([value] if value else [])
    return {**form, name: values}
