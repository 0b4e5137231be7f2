"""The GET filter forms of the back-office pages, as models `query_forms.query_form` parses.

They use the API's validated types (months, days, query text); a bad value becomes an error
beside its field on the same page instead of an error page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.claims.schemas import ClaimState
from app.kit.dates import Day, YearMonth
from app.kit.text import QueryText


def _month(value: Any, handler: ValidatorFunctionWrapHandler) -> str:
    # "格式不正确" says less than "YYYY-MM": the month keeps one error of its own.
    try:
        return str(handler(value))
    except ValidationError:
        raise PydanticCustomError("month_format", "a month as YYYY-MM") from None


Month = Annotated[YearMonth, WrapValidator(_month)]
Text = Annotated[QueryText, Field(max_length=64)]
_FILTERS = ConfigDict(extra="ignore", populate_by_name=True)


class ArchiveExportFilters(BaseModel):
    model_config = _FILTERS

    period_from: Month = Field(alias="from")
    period_to: Month = Field(alias="to")
    entity: uuid.UUID | None = None


class LedgerFilters(BaseModel):
    """The vouchers and input-VAT pages: an entity and a month (this month when left out)."""

    model_config = _FILTERS

    period: Month | None = None
    entity: uuid.UUID | None = None


class ClaimListFilters(BaseModel):
    model_config = _FILTERS

    state: ClaimState | None = None


class AuditLogFilters(BaseModel):
    model_config = _FILTERS

    action: Text | None = None
    actor: Text | None = None
    object_type: Text | None = None
    object_id: Text | None = None
    entity: uuid.UUID | None = None
    day_from: Day | None = Field(default=None, alias="from")
    day_to: Day | None = Field(default=None, alias="to")
    verify: bool = False

    @field_validator("day_to")
    @classmethod
    def _days_in_order(cls, day_to: dt.date | None, info: ValidationInfo) -> dt.date | None:
        day_from = info.data.get("day_from")
        if day_from and day_to and day_to < day_from:
            raise PydanticCustomError("date_range_reversed", "the end is before the start")
        return day_to

    @property
    def until(self) -> dt.date | None:
        """The day after `to`: the log is read up to, not including, its first instant."""
        return self.day_to + dt.timedelta(days=1) if self.day_to else None
