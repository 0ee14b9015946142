"""Who is on duty: ``GET /api/v1/standby/on-duty/`` at shift boundaries (Asia/Shanghai, no DST),
month and year ends, gaps, bad input and who may ask."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from courtexec.roles import Role
from standby import services
from standby.models import Shift
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db
URL = "/api/v1/standby/on-duty/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def on_duty(user, at: str | None):
    return client_for(user).get(URL, {} if at is None else {"at": at})


@pytest.mark.parametrize(
    ("at", "day"),
    [
        ("2026-12-03T07:59:00+08:00", 2),
        ("2026-12-03T08:00:00+08:00", 3),
        ("2026-12-02T23:59:00Z", 2),  # 07:59 on the 3rd in Shanghai
        ("2026-12-03T00:00:00Z", 3),  # 08:00 on the 3rd in Shanghai
        ("2026-12-03T07:59:59", 2),  # naive: Shanghai time
        ("2026-12-31T23:59:59+08:00", 31),  # the year's last night
        ("2027-01-01T07:59:00+08:00", 31),  # still the shift of 31 December
        ("2027-01-01T08:00:00+08:00", 1),
        ("2026-12-01T07:59:00+08:00", None),  # before the first shift: a gap
    ],
)
def test_boundaries(staff, rotation, at, day):
    response = on_duty(staff[Role.CLERK], at)
    assert response.status_code == 200, response.content
    shift = response.json()["shift"]
    if day is None:
        assert shift is None
        return
    starts = dt.datetime.fromisoformat(shift["starts_at"])
    assert starts.astimezone(local(2026, 1, 1).tzinfo).day == day
    assert starts.astimezone(local(2026, 1, 1).tzinfo).hour == 8


def test_month_end(court_a, chief, teams, time_machine):
    time_machine.move_to(local(2027, 1, 20, 12), tick=False)
    services.set_rotation(
        user=chief, court=court_a, teams=teams, shift_hours=24, starts_on=dt.date(2027, 1, 21),
        start_time=dt.time(8),
    )  # fmt: skip
    feb = on_duty(chief, "2027-02-01T07:59:00+08:00").json()["shift"]
    assert feb["starts_at"].startswith("2027-01-31T08:00:00")
    assert (
        on_duty(chief, "2027-02-01T08:00:00+08:00")
        .json()["shift"]["starts_at"]
        .startswith("2027-02-01T08:00:00")
    )


def test_the_three_people_with_names_roles_and_phones(staff, teams, rotation):
    leader = teams[2].leader
    leader.phone = "13800138000"
    leader.save()
    body = on_duty(staff[Role.JUDGE], "2026-12-03T12:00:00+08:00").json()
    assert body["shift"]["team"] == {"id": teams[2].pk, "name": "第3组"}
    people = {p["place"]: p for p in body["shift"]["people"]}
    assert people["leader"] == {
        "place": "leader",
        "role": Role.BUREAU_CHIEF.value,
        "role_display": str(Role.BUREAU_CHIEF.label),
        "id": leader.pk,
        "name": str(leader),
        "phone": "13800138000",
    }
    assert people["judge"]["id"] == teams[2].judge_id
    assert people["police"]["role"] == Role.JUDICIAL_POLICE.value


def test_default_is_now(staff, rotation, time_machine):
    time_machine.move_to(local(2026, 12, 4, 9), tick=False)
    body = on_duty(staff[Role.JUDGE], None).json()
    assert body["shift"]["id"] == Shift.objects.get(starts_at=local(2026, 12, 4, 8)).pk


@pytest.mark.parametrize(
    "bad",
    [
        "tomorrow",
        "2026-13-01T08:00",
        "2026-12-01T25:00",
        "9" * 40,
        "0001-01-01T00:00:00-23:59",  # an offset PostgreSQL refuses (found by the API fuzz test)
        "9999-12-31T23:00:00-08:00",
    ],
)
def test_a_bad_moment_is_a_400_naming_the_field(staff, rotation, bad):
    with translation.override("en"):
        response = on_duty(staff[Role.JUDGE], bad)
    assert response.status_code == 400
    assert "at" in response.json()["fields"]


def test_the_police_liaison_and_strangers_may_not_ask(staff, rotation):
    assert on_duty(staff[Role.POLICE_LIAISON], None).status_code == 403
    assert APIClient().get(URL).status_code in (401, 403)


def test_another_courts_staff_see_their_own_court(court_b, rotation):
    from tests.factories import UserFactory

    outsider = UserFactory(court=court_b, roles=[Role.JUDGE])
    assert on_duty(outsider, "2026-12-03T12:00:00+08:00").json()["shift"] is None


@override_settings(STANDBY_ROSTER_WEEKS=1)
def test_shift_list_by_period(staff, rotation):
    response = client_for(staff[Role.JUDGE]).get(
        "/api/v1/standby/shifts/", {"from": "2026-12-02", "to": "2026-12-04"}
    )
    assert response.status_code == 200
    # The shift of 1 December runs until 08:00 on the 2nd, so it overlaps the period.
    assert len(response.json()) == 4
    bad = client_for(staff[Role.JUDGE]).get(
        "/api/v1/standby/shifts/", {"from": "2026-12-05", "to": "2026-12-01"}
    )
    assert bad.status_code == 400 and "to" in bad.json()["fields"]
