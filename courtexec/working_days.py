"""Working days (工作日): Monday to Friday, less public holidays, plus make-up working days.

The calendar is data (``CalendarDay`` rows, seeded from the State Council's notices and edited in
admin; ADR 012). The pure functions take a ``WorkingCalendar``; the thin wrappers without the
``_in`` suffix read it from the database through a small per-process cache that is cleared
whenever a calendar day is saved or deleted in this process and otherwise expires after
``CACHE_SECONDS`` (so other processes see an admin edit within that time).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

CACHE_SECONDS = 300
SATURDAY = 5


@dataclass(frozen=True)
class WorkingCalendar:
    """The exceptions to the Monday–Friday week."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()):
        return cls(frozenset(holidays), frozenset(workdays))


def is_working_day_in(calendar: WorkingCalendar, day: dt.date) -> bool:
    """A holiday is off even on a weekday; a weekend day is off unless a make-up working day."""
    if day in calendar.holidays:
        return False
    return day.weekday() < SATURDAY or day in calendar.workdays


def add_working_days_in(calendar: WorkingCalendar, start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (counting from the day after; ``n`` ≥ 0).

    ``n == 0`` answers ``start`` itself. "Within 3 working days of the ground arising" is
    ``add_working_days_in(calendar, arising, 3)``: the last day on which the act is in time.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_working_day_in(calendar, day):
            n -= 1
    return day


def working_days_between_in(calendar: WorkingCalendar, a: dt.date, b: dt.date) -> int:
    """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    ``working_days_between_in(c, a, add_working_days_in(c, a, n)) == n`` for every ``n`` ≥ 0.
    """
    if b < a:
        return -working_days_between_in(calendar, b, a)
    return sum(
        is_working_day_in(calendar, a + dt.timedelta(days=offset))
        for offset in range(1, (b - a).days + 1)
    )


# --- Database-backed wrappers ---------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[float, WorkingCalendar] | None = None


def clear_cache(*args, **kwargs) -> None:
    """Forget the cached calendar (connected to ``CalendarDay``'s save and delete signals)."""
    global _cached
    with _lock:
        _cached = None


def load_calendar() -> WorkingCalendar:
    """The calendar from the database, cached for at most ``CACHE_SECONDS`` in this process."""
    global _cached
    now = time.monotonic()
    with _lock:
        if _cached is not None and now - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    from courtexec.models import CalendarDay

    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    calendar = WorkingCalendar.of(holidays, workdays)
    with _lock:
        _cached = (now, calendar)
    return calendar


def is_working_day(day: dt.date) -> bool:
    return is_working_day_in(load_calendar(), day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return add_working_days_in(load_calendar(), start, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return working_days_between_in(load_calendar(), a, b)
