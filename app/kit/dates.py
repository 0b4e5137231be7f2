"""Business dates live in Asia/Shanghai (SPEC); timestamps are stored in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def business_date(moment: dt.datetime) -> dt.date:
    """The calendar date in China of an aware timestamp."""
    return moment.astimezone(BUSINESS_TZ).date()


def business_today() -> dt.date:
    return dt.datetime.now(BUSINESS_TZ).date()
