"""Fixtures of the registry, surveillance and sighting tests: a surveillance in force on the
conftest's vehicle, the outside reporters (police liaison, partner system with a token), and a
standby shift on duty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtexec.roles import Role
from standby.models import Shift
from tests.factories import UserFactory
from vehicles.models import Surveillance

TODAY = dt.date(2026, 3, 4)  # a Wednesday


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def today(time_machine):
    """Frozen on a Wednesday at 10:00, in office hours."""
    time_machine.move_to(at(2026, 3, 4, 10, 0), tick=False)
    return TODAY


def surveil(vehicle, case, user, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=30), **kw):
    """A surveillance put straight in the database (no service)."""
    return Surveillance.objects.create(
        vehicle=vehicle,
        case=case,
        reason=kw.pop("reason", "被执行人拒不履行，查找车辆"),
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=user,
        **kw,
    )


@pytest.fixture
def surveillance(vehicle, case, judge, today):
    return surveil(vehicle, case, judge)


@pytest.fixture
def liaison(staff):
    return staff[Role.POLICE_LIAISON]


@pytest.fixture
def partner(staff):
    return staff[Role.SIGHTING_PARTNER]


@pytest.fixture
def partner_token(partner):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=partner).key


@pytest.fixture
def on_duty(court_a, staff):
    """A night shift of court A (Wednesday 17:30 to Thursday 08:30), three other people."""
    people = {
        "leader": UserFactory(username="duty_leader", court=court_a, roles=[Role.BUREAU_CHIEF]),
        "judge": UserFactory(username="duty_judge", court=court_a, roles=[Role.JUDGE]),
        "police": UserFactory(username="duty_police", court=court_a, roles=[Role.JUDICIAL_POLICE]),
    }
    return Shift.objects.create(
        court=court_a, starts_at=at(2026, 3, 4, 8, 30), ends_at=at(2026, 3, 5, 8, 30), **people
    )
