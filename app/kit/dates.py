"""Business dates live in Asia/Shanghai (SPEC); timestamps are stored in UTC. The one validated
type for every month (YYYY-MM), date and instant a request carries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

# Far enough for any voucher and its 30-year retention, near enough that a day's neighbours, a
# month's end and a UTC conversion stay inside what `datetime` can hold (0000-01 and 9999-12+1
# cannot be built at all). ASCII digits only: `\d` takes any script's.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
MONTH_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$"

YearMonth = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
"""An accounting period, YYYY-MM, 1900-01 to 2999-12."""

_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_a_day(value: object) -> object:
    """Only YYYY-MM-DD (or a date itself): pydantic also reads a number as seconds since 1970,
    so `{"booking_date": 0}` booked into 1970-01, and a timestamp's text as its day."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        if _DAY_TEXT.fullmatch(value):
            return value  # pydantic judges the digits (a 13th month, say) as before
        # pydantic's own error types, which the pages translate.
        raise PydanticCustomError("date_from_datetime_parsing", _WRITTEN_AS)
    raise PydanticCustomError("date_type", _WRITTEN_AS)


_WRITTEN_AS = "Input should be a valid date written YYYY-MM-DD"


Day = Annotated[dt.date, BeforeValidator(_written_as_a_day), Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
"""A calendar date written YYYY-MM-DD, 1900-01-01 to 2999-12-31."""


def _within_days(moment: dt.datetime) -> dt.datetime:
    if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
        raise ValueError(f"must lie between {EARLIEST_DAY} and {LATEST_DAY}")
    return moment


Instant = Annotated[AwareDatetime, AfterValidator(_within_days)]
"""A timestamp with its offset, on a date `Day` accepts."""


def business_date(moment: dt.datetime) -> dt.date:
    """The calendar date in China of an aware timestamp."""
    return moment.astimezone(BUSINESS_TZ).date()


def business_today() -> dt.date:
    return dt.datetime.now(BUSINESS_TZ).date()
