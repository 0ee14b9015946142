"""Pure rules of the standby section: the custody handover deadline of a police callout.

BRIEF §4: a debtor caught from 20:00 to 08:00 is held by the police, and the court must take the
person over before the next 08:00; a catch in the day (08:00–20:00) is answered at once, within
the policy window ``STANDBY_DAY_RESPONSE_HOURS``. Clock times are Asia/Shanghai (no DST).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

LOCAL = ZoneInfo("Asia/Shanghai")
DAY_STARTS = dt.time(8, 0)
NIGHT_STARTS = dt.time(20, 0)


def is_night(caught_at: dt.datetime) -> bool:
    """True for a catch at or after 20:00 or before 08:00, local time."""
    local = caught_at.astimezone(LOCAL).time()
    return local >= NIGHT_STARTS or local < DAY_STARTS


def handover_deadline(
    caught_at: dt.datetime, *, day_response_hours: int | None = None
) -> dt.datetime:
    """When the court must have taken the person over (an aware datetime, Asia/Shanghai).

    Night: the next 08:00 (23:30 → 08:00 the next day; 00:10 or 07:59 → 08:00 the same day).
    Day: ``caught_at`` plus the response window (default ``STANDBY_DAY_RESPONSE_HOURS``).
    """
    if caught_at.tzinfo is None:
        raise ValueError("caught_at must be timezone-aware")
    local = caught_at.astimezone(LOCAL)
    if not is_night(local):
        hours = (
            settings.STANDBY_DAY_RESPONSE_HOURS
            if day_response_hours is None
            else day_response_hours
        )
        return local + dt.timedelta(hours=hours)
    day = local.date() if local.time() < DAY_STARTS else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, DAY_STARTS, tzinfo=LOCAL)
