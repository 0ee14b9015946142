"""Custody fee arithmetic (保管费计算): pure functions over agreement terms and dates.

Nothing here reads the database: the callers (``vehicles.selectors`` for statements and the
custody overview, ``vehicles.services`` for invoices and cost postings) load the custodian's
agreements as :class:`Terms` and the impound's dates, so one rule prices a statement, an
invoice line and a posting alike, and the rule can be tested with hand-computed figures.

The day rule (ADR 023): every calendar day in Asia/Shanghai from the day of intake to the day
the vehicle left custody (or the end date asked for) counts, both ends included; a vehicle in
and out on one day is one day. Each day is priced at the daily rate for the vehicle's class of
the agreement valid on that day, so a change of agreement mid-custody — or at a month end —
prices each side by its own agreement. A day no agreement covers is priced 0 and reported as
an "unpriced day" so that nobody mistakes a gap in the contracts for a free day. The towing
fee is that of the agreement valid on the day of the tow, charged once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    """One custody agreement as the arithmetic needs it: its period, towing fee and rates."""

    agreement_id: int | None
    number: str
    valid_from: dt.date
    valid_until: dt.date
    towing_fee: int
    rates: dict[str, int]

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class Line:
    """Consecutive days priced by one agreement at one rate."""

    agreement_id: int | None
    number: str
    first_day: dt.date
    last_day: dt.date
    days: int
    rate: int
    amount: int


@dataclass(frozen=True)
class Statement:
    """The fees of one impound over ``first_day``..``last_day`` (both included), in fen."""

    first_day: dt.date | None
    last_day: dt.date | None
    lines: list[Line] = field(default_factory=list)
    towing: int = 0
    towing_agreement: str = ""
    unpriced_days: list[dt.date] = field(default_factory=list)

    @property
    def days(self) -> int:
        return sum(line.days for line in self.lines) + len(self.unpriced_days)

    @property
    def custody(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return self.towing + self.custody


def local_day(moment: dt.datetime | None) -> dt.date | None:
    """The calendar day of ``moment`` in the court's time zone (Asia/Shanghai)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def terms_on(terms: Iterable[Terms], day: dt.date) -> Terms | None:
    """The agreement valid on ``day`` (agreements of one custodian never overlap)."""
    return next((term for term in terms if term.covers(day)), None)


def towing_fee(terms: Iterable[Terms], tow_day: dt.date | None) -> tuple[int, str]:
    """The towing fee of the agreement valid on the tow day, and that agreement's number."""
    if tow_day is None:
        return 0, ""
    term = terms_on(terms, tow_day)
    return (term.towing_fee, term.number) if term else (0, "")


def price_days(
    terms: Sequence[Terms], vehicle_class: str, first_day: dt.date, last_day: dt.date
) -> tuple[list[Line], list[dt.date]]:
    """Lines per agreement period over ``first_day``..``last_day``, and the unpriced days.

    Walks agreement by agreement rather than day by day, so a year of custody is a handful of
    steps; the days between agreements are listed one by one (they should be rare).
    """
    lines: list[Line] = []
    unpriced: list[dt.date] = []
    day = first_day
    ordered = sorted(terms, key=lambda term: term.valid_from)
    while day <= last_day:
        term = terms_on(ordered, day)
        if term is None:
            unpriced.append(day)
            day += ONE_DAY
            continue
        until = min(term.valid_until, last_day)
        days = (until - day).days + 1
        rate = term.rates.get(vehicle_class, 0)
        lines.append(Line(term.agreement_id, term.number, day, until, days, rate, days * rate))
        day = until + ONE_DAY
    return lines, unpriced


def statement(
    terms: Sequence[Terms],
    *,
    vehicle_class: str,
    first_day: dt.date | None,
    last_day: dt.date | None,
    tow_day: dt.date | None = None,
    with_towing: bool = True,
) -> Statement:
    """The statement of the days ``first_day``..``last_day`` plus, ``with_towing``, the tow.

    No first day (never taken into custody) or an empty range gives no custody lines.
    """
    towing, towing_agreement = towing_fee(terms, tow_day) if with_towing else (0, "")
    if first_day is None or last_day is None or last_day < first_day:
        return Statement(first_day, last_day, [], towing, towing_agreement, [])
    lines, unpriced = price_days(terms, vehicle_class, first_day, last_day)
    return Statement(first_day, last_day, lines, towing, towing_agreement, unpriced)


def custody_range(
    intake_day: dt.date | None,
    left_day: dt.date | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """The days of custody (intake..left, both included) clipped to ``start``..``end``."""
    if intake_day is None:
        return None, None
    first = max(intake_day, start) if start else intake_day
    candidates = [day for day in (left_day, end) if day is not None]
    last = min(candidates) if candidates else None
    return first, last


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month ``month`` falls in."""
    first = month.replace(day=1)
    if first.month == 12:  # also keeps 9999-12 within the calendar
        return first, first.replace(day=31)
    return first, first.replace(month=first.month + 1) - ONE_DAY


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators (¥ left to the template)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
