"""Fixtures for the roster tests: a court with six 1+1+1 teams in a 24-hour rotation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtexec.roles import Role
from standby import services
from tests.factories import UserFactory

# The first shift of the rotation: Tuesday 1 December 2026, 08:00 in Shanghai.
FIRST_DAY = dt.date(2026, 12, 1)
EIGHT = dt.time(8, 0)


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def chief(staff):
    return staff[Role.BUREAU_CHIEF]


@pytest.fixture
def teams(court_a, chief):
    made = []
    for n in range(1, 7):
        people = {
            place: UserFactory(
                username=f"t{n}_{place}", display_name=f"{place}{n}", court=court_a, roles=[role]
            )
            for place, role in services.PLACES.items()
        }
        made.append(services.save_team(user=chief, court=court_a, name=f"第{n}组", **people))
    return made


@pytest.fixture
def rotation(court_a, chief, teams, time_machine):
    """The rotation set on 30 November 2026 at noon: shifts from 1 December 08:00."""
    time_machine.move_to(local(2026, 11, 30, 12, 0), tick=False)
    return services.set_rotation(
        user=chief,
        court=court_a,
        teams=teams,
        shift_hours=24,
        starts_on=FIRST_DAY,
        start_time=EIGHT,
    )
