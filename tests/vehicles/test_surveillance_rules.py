"""Surveillance (布控): who may place and lift it, on which cases and periods, one at a time per
vehicle and case; the wanted list holds exactly the ones in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casefunds.services import Conflict
from courtexec.roles import Role
from enforcement.models import EnforcementCase
from tests.vehicles.registry_fixtures import TODAY, surveil
from vehicles import selectors, services

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]
MONTH = dt.timedelta(days=30)


def place(user, vehicle, case, starts_on=TODAY, ends_on=TODAY + MONTH, reason="查找车辆"):
    return services.place_under_surveillance(
        user=user, vehicle=vehicle, case=case, reason=reason, starts_on=starts_on, ends_on=ends_on
    )


def test_a_judge_places_a_vehicle_under_surveillance(judge, vehicle, case, today):
    surveillance = place(judge, vehicle, case)
    assert surveillance.requested_by == judge
    assert list(selectors.active_surveillances(case.court)) == [surveillance]


def test_a_clerk_may_a_judicial_police_officer_may_not(staff, vehicle, case, today):
    assert place(staff[Role.CLERK], vehicle, case).pk
    with pytest.raises(PermissionDenied):
        place(staff[Role.JUDICIAL_POLICE], vehicle, case, reason="again")


def test_another_courts_judge_may_not(judge_b, vehicle, case, today):
    with pytest.raises(PermissionDenied):
        place(judge_b, vehicle, case)


def test_the_case_must_be_open(judge, vehicle, case, today):
    case.status = EnforcementCase.Status.CONCLUDED  # as the service would see a closed case
    with pytest.raises(ValidationError) as exc:
        place(judge, vehicle, case)
    assert "case" in exc.value.message_dict


def test_the_period_must_not_end_before_it_starts(judge, vehicle, case, today):
    with pytest.raises(ValidationError) as exc:
        place(judge, vehicle, case, starts_on=TODAY, ends_on=TODAY - dt.timedelta(days=1))
    assert "ends_on" in exc.value.message_dict


def test_a_reason_is_required(judge, vehicle, case, today):
    with pytest.raises(ValidationError) as exc:
        place(judge, vehicle, case, reason="  ")
    assert "reason" in exc.value.message_dict


def test_one_active_surveillance_per_vehicle_and_case(judge, vehicle, case, today):
    place(judge, vehicle, case)
    with pytest.raises(Conflict) as exc:
        place(judge, vehicle, case, starts_on=TODAY + MONTH, ends_on=TODAY + 2 * MONTH)
    assert exc.value.code == "already_under_surveillance"


def test_after_lifting_a_new_one_may_be_placed(judge, vehicle, case, today):
    first = place(judge, vehicle, case)
    services.lift_surveillance(user=judge, surveillance=first, reason="已履行")
    first.refresh_from_db()
    assert first.lifted_by == judge and first.lift_reason == "已履行"
    assert place(judge, vehicle, case).pk != first.pk


def test_lifting_twice_is_a_conflict_and_needs_a_reason(judge, vehicle, case, today):
    surveillance = place(judge, vehicle, case)
    with pytest.raises(ValidationError):
        services.lift_surveillance(user=judge, surveillance=surveillance, reason="")
    services.lift_surveillance(user=judge, surveillance=surveillance, reason="已履行")
    with pytest.raises(Conflict):
        services.lift_surveillance(user=judge, surveillance=surveillance, reason="again")


def test_active_means_not_lifted_and_within_the_period(judge, vehicle, case, today):
    current = surveil(vehicle, case, judge)
    surveil(vehicle, case, judge, starts_on=TODAY - MONTH, ends_on=TODAY - dt.timedelta(days=1))
    surveil(vehicle, case, judge, starts_on=TODAY + dt.timedelta(days=1), ends_on=TODAY + MONTH)
    surveil(vehicle, case, judge, lifted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    surveil(vehicle, case, judge, starts_on=TODAY, ends_on=TODAY)  # the last day counts
    active = set(selectors.active_surveillances(case.court, on=TODAY))
    assert current in active and len(active) == 2
