"""Office hours (办公时间): ``settings.COURT_OFFICE_HOURS`` ("08:30-17:30", Asia/Shanghai) on
working days (``courtexec.working_days``: make-up working days count, public holidays do not).

Pure functions: the caller passes the hours and the working-day test, so tests need no calendar.
An interval is half-open: the start belongs to the office day (08:30 is in hours), the end does
not (17:30 is out), the same convention as the standby shifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
# A run of days off longer than this (the Spring Festival is 8 or 9) means a broken calendar.
MAX_DAYS_OFF = 31

WorkingDayTest = Callable[[dt.date], bool]


def parse_office_hours(value: str) -> tuple[dt.time, dt.time]:
    """``"08:30-17:30"`` → (08:30, 17:30); a malformed setting is a configuration error."""
    try:
        start_text, end_text = value.split("-")
        start = dt.time.fromisoformat(start_text.strip())
        end = dt.time.fromisoformat(end_text.strip())
    except ValueError as exc:
        raise ValueError(f"COURT_OFFICE_HOURS must be HH:MM-HH:MM, not {value!r}") from exc
    if end <= start:
        raise ValueError(f"COURT_OFFICE_HOURS must end after it starts: {value!r}")
    return start, end


def _local(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    return at.astimezone(LOCAL)


def is_out_of_hours(at: dt.datetime, *, office_hours: str, is_working_day: WorkingDayTest) -> bool:
    """True unless ``at`` falls on a working day within [start, end) of the office hours."""
    local = _local(at)
    start, end = parse_office_hours(office_hours)
    if not is_working_day(local.date()):
        return True
    return not (start <= local.time().replace(tzinfo=None) < end)


def _day_at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LOCAL)


def closed_since(
    at: dt.datetime, *, office_hours: str, is_working_day: WorkingDayTest
) -> dt.datetime:
    """When the office last closed before ``at`` (the start of the off-hours period ``at`` is
    in, when it is out of hours): the end of the latest office day ending at or before ``at``."""
    local = _local(at)
    _start, end = parse_office_hours(office_hours)
    day = local.date()
    for _ in range(MAX_DAYS_OFF):
        if is_working_day(day) and _day_at(day, end) <= local:
            return _day_at(day, end)
        day -= dt.timedelta(days=1)
    raise ValueError(f"no working day in the {MAX_DAYS_OFF} days before {local:%Y-%m-%d}")


def next_opening(
    at: dt.datetime, *, office_hours: str, is_working_day: WorkingDayTest
) -> dt.datetime:
    """When the office next opens after ``at`` (the start of the next office day)."""
    local = _local(at)
    start, _end = parse_office_hours(office_hours)
    day = local.date()
    for _ in range(MAX_DAYS_OFF):
        if is_working_day(day) and _day_at(day, start) > local:
            return _day_at(day, start)
        day += dt.timedelta(days=1)
    raise ValueError(f"no working day in the {MAX_DAYS_OFF} days after {local:%Y-%m-%d}")
