"""Fee arithmetic with hand-computed figures: month ends, an agreement change mid-custody, the
leap day, a gap between agreements, the Asia/Shanghai day boundary."""

from __future__ import annotations

import datetime as dt

from vehicles import fees

D = dt.date
OLD = fees.Terms(1, "BG-2025", D(2025, 1, 1), D(2026, 1, 31), 30000, {"small": 5000, "large": 8000})
NEW = fees.Terms(
    2, "BG-2026", D(2026, 2, 1), D(2026, 12, 31), 40000, {"small": 6000, "large": 9000}
)


def test_agreement_change_mid_custody_across_month_ends():
    # Intake 30 Jan, new agreement from 1 Feb, released 2 Mar; towed 29 Jan under the old one.
    result = fees.statement(
        [NEW, OLD],
        vehicle_class="small",
        first_day=D(2026, 1, 30),
        last_day=D(2026, 3, 2),
        tow_day=D(2026, 1, 29),
    )
    assert [
        (ln.number, ln.first_day, ln.last_day, ln.days, ln.rate, ln.amount) for ln in result.lines
    ] == [
        ("BG-2025", D(2026, 1, 30), D(2026, 1, 31), 2, 5000, 10000),  # 30, 31 Jan
        ("BG-2026", D(2026, 2, 1), D(2026, 3, 2), 30, 6000, 180000),  # 28 Feb days + 1, 2 Mar
    ]
    assert result.towing == 30000 and result.towing_agreement == "BG-2025"
    assert result.days == 32
    assert result.custody == 190000
    assert result.total == 220000
    assert result.unpriced_days == []


def test_rate_follows_the_vehicle_class():
    result = fees.statement(
        [OLD], vehicle_class="large", first_day=D(2026, 1, 1), last_day=D(2026, 1, 31)
    )
    assert result.custody == 31 * 8000
    assert result.towing == 0  # no tow day given


def test_leap_day_counts():
    terms = fees.Terms(3, "BG-2028", D(2028, 1, 1), D(2028, 12, 31), 0, {"small": 5000})
    result = fees.statement(
        [terms], vehicle_class="small", first_day=D(2028, 2, 27), last_day=D(2028, 3, 1)
    )
    assert result.days == 4  # 27, 28, 29 Feb and 1 Mar
    assert result.total == 20000


def test_in_and_out_on_one_day_is_one_day():
    result = fees.statement(
        [OLD], vehicle_class="small", first_day=D(2025, 5, 5), last_day=D(2025, 5, 5)
    )
    assert result.days == 1 and result.total == 5000


def test_days_without_an_agreement_are_priced_nothing_and_flagged():
    gap_before = fees.Terms(4, "A", D(2026, 1, 1), D(2026, 1, 31), 0, {"small": 100})
    after_gap = fees.Terms(5, "B", D(2026, 2, 3), D(2026, 2, 28), 0, {"small": 200})
    result = fees.statement(
        [gap_before, after_gap],
        vehicle_class="small",
        first_day=D(2026, 1, 31),
        last_day=D(2026, 2, 4),
        tow_day=D(2026, 2, 1),
    )
    assert result.unpriced_days == [D(2026, 2, 1), D(2026, 2, 2)]
    assert [(ln.days, ln.amount) for ln in result.lines] == [(1, 100), (2, 400)]
    assert result.days == 5
    assert result.towing == 0  # no agreement on the tow day either
    assert result.total == 500


def test_no_custody_days_without_intake_or_for_an_empty_range():
    assert fees.statement([OLD], vehicle_class="small", first_day=None, last_day=None).total == 0
    empty = fees.statement(
        [OLD],
        vehicle_class="small",
        first_day=D(2026, 1, 5),
        last_day=D(2026, 1, 4),
        tow_day=D(2026, 1, 3),
    )
    assert empty.lines == [] and empty.towing == 30000


def test_local_day_is_the_shanghai_calendar_day():
    late_utc = dt.datetime(2026, 1, 29, 17, 0, tzinfo=dt.UTC)  # 30 Jan 01:00 in Shanghai
    assert fees.local_day(late_utc) == D(2026, 1, 30)
    assert fees.local_day(None) is None


def test_custody_range_and_month_bounds():
    assert fees.custody_range(
        D(2026, 1, 30), D(2026, 3, 2), start=D(2026, 2, 1), end=D(2026, 2, 28)
    ) == (D(2026, 2, 1), D(2026, 2, 28))
    assert fees.custody_range(D(2026, 1, 30), None) == (D(2026, 1, 30), None)
    assert fees.custody_range(None, None) == (None, None)
    assert fees.month_bounds(D(2028, 2, 17)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert fees.month_bounds(D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))
    assert fees.yuan(1234567) == "12,345.67"
