"""The out-of-hours rule at its boundaries: office hours are [start, end) on working days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from courtexec.working_days import WorkingCalendar, is_working_day_in
from vehicles.rules import is_out_of_hours, parse_office_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY = dt.date(2026, 10, 1)  # a Thursday, National Day
MAKE_UP = dt.date(2026, 9, 27)  # a Sunday worked instead
CALENDAR = WorkingCalendar.of(holidays=[HOLIDAY], workdays=[MAKE_UP])


def out(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> bool:
    at = dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)
    return is_out_of_hours(
        at,
        office_hours="08:30-17:30",
        is_working_day=lambda d: is_working_day_in(CALENDAR, d),
    )


WEDNESDAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "expected"),
    [
        (8, 29, 59, True),
        (8, 30, 0, False),
        (12, 0, 0, False),
        (17, 29, 59, False),
        (17, 30, 0, True),
        (23, 0, 0, True),
        (0, 0, 0, True),
    ],
)
def test_working_day_boundaries(hour, minute, second, expected):
    assert out(WEDNESDAY, hour, minute, second) is expected


def test_weekend_holiday_and_make_up_day():
    assert out(dt.date(2026, 3, 7), 10) is True  # Saturday
    assert out(HOLIDAY, 10) is True
    assert out(MAKE_UP, 10) is False


def test_the_local_time_counts_not_utc():
    # 01:00 UTC is 09:00 in Shanghai: in hours.
    at = dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC)
    assert not is_out_of_hours(at, office_hours="08:30-17:30", is_working_day=lambda d: True)


def test_naive_times_and_bad_settings_are_refused():
    with pytest.raises(ValueError):
        is_out_of_hours(
            dt.datetime(2026, 3, 4, 10), office_hours="08:30-17:30", is_working_day=bool
        )
    with pytest.raises(ValueError):
        parse_office_hours("17:30-08:30")
    with pytest.raises(ValueError):
        parse_office_hours("nine to five")
