"""Pure rules of the vehicles registry: when a sighting is "out of hours".

A sighting of a wanted vehicle in office hours reaches the case judge at their desk; at night,
at weekends and on public holidays nobody reads the inbox, so the standby team on duty is told
too (BRIEF issue 7 §2). Office hours are ``settings.COURT_OFFICE_HOURS`` ("08:30-17:30"),
Asia/Shanghai, on working days (``courtexec.working_days``: make-up working days count, public
holidays do not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


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


def is_out_of_hours(
    at: dt.datetime, *, office_hours: str, is_working_day: Callable[[dt.date], bool]
) -> bool:
    """True unless ``at`` falls on a working day within [start, end) of the office hours.

    The start belongs to the office day (08:30 is in hours), the end does not (17:30 is out):
    the same half-open convention as the standby shifts.
    """
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    local = at.astimezone(LOCAL)
    start, end = parse_office_hours(office_hours)
    if not is_working_day(local.date()):
        return True
    return not (start <= local.time().replace(tzinfo=None) < end)
