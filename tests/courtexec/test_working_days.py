"""The working-day calendar: seeded holidays and make-up days, pure functions, admin edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from courtexec import working_days
from courtexec.models import CalendarDay
from courtexec.roles import Role
from courtexec.working_days import (
    WorkingCalendar,
    add_working_days_in,
    is_working_day_in,
    working_days_between_in,
)
from tests.factories import UserFactory

D = dt.date
# The National Day week of 2026 as data: 1–7 October off, Saturday 10 October worked.
NATIONAL_DAY_2026 = WorkingCalendar.of(
    holidays=[D(2026, 10, day) for day in range(1, 8)], workdays=[D(2026, 10, 10)]
)


# --- Pure functions ------------------------------------------------------------------------


def test_plain_week_without_exceptions():
    empty = WorkingCalendar()
    assert is_working_day_in(empty, D(2026, 11, 27))  # Friday
    assert not is_working_day_in(empty, D(2026, 11, 28))  # Saturday
    assert not is_working_day_in(empty, D(2026, 11, 29))  # Sunday
    # Counting starts the day after: Friday + 3 → Wednesday.
    assert add_working_days_in(empty, D(2026, 11, 27), 3) == D(2026, 12, 2)
    assert add_working_days_in(empty, D(2026, 11, 27), 0) == D(2026, 11, 27)
    assert add_working_days_in(empty, D(2026, 11, 28), 1) == D(2026, 11, 30)


def test_holiday_weekday_is_off_and_make_up_saturday_is_worked():
    assert not is_working_day_in(NATIONAL_DAY_2026, D(2026, 10, 1))  # Thursday, holiday
    assert not is_working_day_in(NATIONAL_DAY_2026, D(2026, 10, 5))  # Monday, holiday
    assert is_working_day_in(NATIONAL_DAY_2026, D(2026, 10, 8))  # Thursday after the holiday
    assert is_working_day_in(NATIONAL_DAY_2026, D(2026, 10, 10))  # make-up Saturday
    assert not is_working_day_in(NATIONAL_DAY_2026, D(2026, 10, 11))  # Sunday


def test_three_working_days_across_national_day():
    # A deletion ground arises on Wednesday 30 September 2026: 8 Oct, 9 Oct, Saturday 10 Oct.
    assert add_working_days_in(NATIONAL_DAY_2026, D(2026, 9, 30), 3) == D(2026, 10, 10)
    # Arising on the holiday itself counts from the first working day after it.
    assert add_working_days_in(NATIONAL_DAY_2026, D(2026, 10, 3), 1) == D(2026, 10, 8)
    # Arising on the make-up Saturday: Monday, Tuesday, Wednesday.
    assert add_working_days_in(NATIONAL_DAY_2026, D(2026, 10, 10), 3) == D(2026, 10, 14)


def test_working_days_between():
    assert working_days_between_in(NATIONAL_DAY_2026, D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between_in(NATIONAL_DAY_2026, D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert working_days_between_in(NATIONAL_DAY_2026, D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between_in(NATIONAL_DAY_2026, D(2026, 9, 30), D(2026, 9, 30)) == 0


@pytest.mark.parametrize("n", range(0, 12))
def test_between_inverts_add(n):
    start = D(2026, 9, 28)
    end = add_working_days_in(NATIONAL_DAY_2026, start, n)
    assert working_days_between_in(NATIONAL_DAY_2026, start, end) == n


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days_in(WorkingCalendar(), D(2026, 1, 1), -1)


# --- The seeded calendar in the database ----------------------------------------------------


@pytest.mark.django_db
def test_seed_holds_both_years():
    assert CalendarDay.objects.filter(date__year=2025).count() == 33
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    saturday = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert saturday.kind == CalendarDay.Kind.WORKDAY
    assert saturday.date.weekday() == 5
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


@pytest.mark.django_db
def test_db_wrappers_use_the_seed():
    assert not working_days.is_working_day(D(2026, 10, 1))
    assert working_days.is_working_day(D(2026, 10, 10))
    assert working_days.is_working_day(D(2026, 2, 28))  # make-up Saturday after Spring Festival
    assert working_days.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert working_days.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    # Spring Festival 2026: Saturday 14 Feb worked, 15–23 Feb off.
    assert working_days.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


@pytest.mark.django_db
def test_cache_follows_edits():
    day = D(2026, 12, 31)  # a Thursday
    assert working_days.is_working_day(day)
    entry = CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert not working_days.is_working_day(day)
    entry.kind = CalendarDay.Kind.WORKDAY
    entry.save()
    assert working_days.is_working_day(day)
    entry.delete()
    assert working_days.is_working_day(D(2027, 1, 2)) is False  # Saturday, nothing seeded


@pytest.mark.django_db
def test_admin_changelist_and_edit(court_a):
    admin = UserFactory(court=court_a, roles=[Role.SYSADMIN], is_staff=True)
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/courtexec/calendarday/")
    assert response.status_code == 200
    assert "国庆节调休上班" in response.content.decode()
    response = client.get("/admin/courtexec/calendarday/?kind=workday&date__year=2026")
    assert response.status_code == 200
    response = client.post(
        "/admin/courtexec/calendarday/add/",
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not working_days.is_working_day(D(2027, 1, 1))  # a Friday, now a holiday


@pytest.mark.django_db
def test_a_calendar_edit_in_one_test_is_gone_in_the_next():
    assert working_days.is_working_day(D(2026, 12, 31))
