"""Handover deadlines of callouts at the 08:00 and 20:00 boundaries, over month and year ends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from standby.rules import handover_deadline, is_night

SH = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


@pytest.mark.parametrize(
    ("caught", "deadline", "night"),
    [
        (at(2026, 3, 10, 19, 59), at(2026, 3, 10, 21, 59), False),
        (at(2026, 3, 10, 20, 0), at(2026, 3, 11, 8, 0), True),
        (at(2026, 3, 10, 23, 30), at(2026, 3, 11, 8, 0), True),
        (at(2026, 3, 11, 0, 10), at(2026, 3, 11, 8, 0), True),
        (at(2026, 3, 11, 7, 59), at(2026, 3, 11, 8, 0), True),
        (at(2026, 3, 11, 8, 0), at(2026, 3, 11, 10, 0), False),
        (at(2026, 12, 31, 23, 30), at(2027, 1, 1, 8, 0), True),
        (at(2026, 1, 31, 22, 0), at(2026, 2, 1, 8, 0), True),
        (at(2028, 2, 28, 20, 0), at(2028, 2, 29, 8, 0), True),
        (at(2026, 4, 30, 19, 0), at(2026, 4, 30, 21, 0), False),
    ],
)
def test_handover_deadline(caught, deadline, night):
    assert handover_deadline(caught) == deadline
    assert is_night(caught) is night


def test_utc_input_is_read_in_shanghai_time():
    caught = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)  # 23:30 in Shanghai
    assert handover_deadline(caught) == at(2027, 1, 1, 8, 0)
    assert handover_deadline(caught).utcoffset() == dt.timedelta(hours=8)


def test_day_window_follows_the_policy(settings):
    settings.STANDBY_DAY_RESPONSE_HOURS = 3
    assert handover_deadline(at(2026, 3, 10, 9, 0)) == at(2026, 3, 10, 12, 0)


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        handover_deadline(dt.datetime(2026, 3, 10, 9, 0))
