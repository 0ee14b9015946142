"""What PostgreSQL itself guarantees about shifts and callout timelines, whatever door a write
comes through: no two overlapping shifts in a court, three different people per shift, an
append-only callout timeline."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courtexec.roles import Role
from standby.models import Callout, CalloutEvent, Shift

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 12, 1, 8, 0))


def shift(court, staff, starts_at, hours=24, **people):
    return Shift.objects.create(
        court=court,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        leader=people.get("leader", staff[Role.BUREAU_CHIEF]),
        judge=people.get("judge", staff[Role.JUDGE]),
        police=people.get("police", staff[Role.JUDICIAL_POLICE]),
    )


def test_shifts_of_one_court_never_overlap_but_may_touch(court_a, staff):
    shift(court_a, staff, START)
    shift(court_a, staff, START + dt.timedelta(hours=24))  # 08:00 to 08:00: half-open, touching
    with pytest.raises(IntegrityError), transaction.atomic():
        shift(court_a, staff, START + dt.timedelta(hours=12))


def test_another_courts_shift_may_run_at_the_same_time(court_a, court_b, staff):
    from tests.factories import UserFactory

    other = {role: UserFactory(court=court_b, roles=[role]) for role in Role}
    shift(court_a, staff, START)
    shift(court_b, other, START)
    assert Shift.objects.count() == 2


def test_one_person_cannot_fill_two_places_of_a_shift(court_a, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        shift(court_a, staff, START, police=staff[Role.JUDGE])


def test_callout_timeline_is_append_only(court_a, staff):
    callout = Callout.objects.create(
        court=court_a,
        reference="BQ-TEST-1",
        reported_by=staff[Role.JUDICIAL_POLICE],
        police_station="武林派出所",
        police_officer="李警官",
        police_phone="0571-87000000",
        caught_at=START,
        person_name="王五",
        handover_deadline=START + dt.timedelta(hours=2),
    )
    event = CalloutEvent.objects.create(callout=callout, kind="reported")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalloutEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalloutEvent.objects.filter(pk=event.pk).delete()
