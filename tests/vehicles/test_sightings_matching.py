"""Sightings are normalised and matched against the reporter's court's active surveillances;
a match alerts the case judge, and out of hours also the standby team on duty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from courtexec.models import Delivery, Notification
from tests.enforcement.fixtures import file_case
from tests.vehicles.registry_fixtures import at, surveil
from vehicles import services
from vehicles.models import Sighting, Vehicle

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]


def report(user, plate, seen_at=None, court=None):
    return services.report_sighting(
        user=user,
        court=court or user.court,
        report=services.SightingReport(
            plate=plate, place="文三路与学院路口", seen_at=seen_at or at(2026, 3, 4, 9, 50)
        ),
    )


@pytest.mark.parametrize(
    "typed", ["浙A12345", "浙a12345", "浙 A 123 45", "浙Ａ１２３４５", "浙A·12345"]
)
def test_normalised_variants_match(judge, surveillance, typed):
    sighting = report(judge, typed)
    assert sighting.plate == "浙A12345"
    assert sighting.plate_as_reported == typed
    assert list(sighting.matches.all()) == [surveillance]


def test_unknown_plate_is_stored_unmatched(judge, surveillance):
    sighting = report(judge, "浙B99999")
    assert sighting.pk and not sighting.matches.exists()
    assert not Notification.objects.exists()


def test_lifted_and_expired_surveillances_do_not_match(judge, vehicle, case, today):
    surveil(vehicle, case, judge, lifted_at=at(2026, 3, 2, 9))
    surveil(vehicle, case, judge, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 3))
    surveil(vehicle, case, judge, starts_on=dt.date(2026, 3, 5), ends_on=dt.date(2026, 4, 3))
    assert not report(judge, "浙A12345").matches.exists()


def test_another_courts_surveillance_does_not_match(
    court_b, judge_b, judge, applicant, respondent, today
):
    respondent.courts.add(court_b)
    other_case = file_case(court_b, judge_b, applicant, respondent)
    other = Vehicle.objects.create(
        court=court_b, plate="浙A12345", owner=respondent, registered_by=judge_b
    )
    surveil(other, other_case, judge_b)
    # Reported in court A, where nothing is wanted; court B's reporter does match.
    assert not report(judge, "浙A12345").matches.exists()
    assert report(judge_b, "浙A12345").matches.exists()


def test_a_match_alerts_the_case_judge_with_a_text_in_office_hours(
    judge, case, surveillance, on_duty
):
    judge.phone = "13900000009"
    judge.save()
    sighting = report(judge, "浙A12345")
    assert sighting.source == Sighting.Source.STAFF
    notes = Notification.objects.filter(kind="vehicle_sighting")
    assert [note.recipient for note in notes] == [judge]
    assert case.number in notes[0].message
    assert Delivery.objects.filter(address="13900000009").exists()


def test_out_of_hours_the_team_on_duty_is_alerted_too(
    judge, liaison, surveillance, on_duty, time_machine
):
    time_machine.move_to(at(2026, 3, 4, 21, 15), tick=False)
    sighting = report(liaison, "浙A12345", seen_at=at(2026, 3, 4, 21, 10))
    assert sighting.source == Sighting.Source.POLICE
    recipients = set(
        Notification.objects.filter(kind="vehicle_sighting").values_list("recipient", flat=True)
    )
    assert recipients == {judge.pk, on_duty.leader_id, on_duty.judge_id, on_duty.police_id}


def test_out_of_hours_without_a_shift_still_alerts_the_judge(judge, surveillance, time_machine):
    time_machine.move_to(at(2026, 3, 7, 11, 0), tick=False)  # Saturday
    report(judge, "浙A12345", seen_at=at(2026, 3, 7, 10, 0))
    assert list(Notification.objects.values_list("recipient", flat=True)) == [judge.pk]


def test_a_partner_system_is_recorded_as_such(partner, surveillance):
    assert report(partner, "浙A12345").source == Sighting.Source.PARTNER


def test_a_time_in_the_future_is_refused_beyond_ten_minutes(judge, surveillance):
    assert report(judge, "浙B00001", seen_at=at(2026, 3, 4, 10, 9)).pk
    with pytest.raises(ValidationError) as exc:
        report(judge, "浙B00001", seen_at=at(2026, 3, 4, 10, 11))
    assert "seen_at" in exc.value.message_dict
