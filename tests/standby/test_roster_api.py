"""The roster's API writes: teams, rotation, overrides, swaps — field errors, 403, 409."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from courtexec.roles import Role
from standby.models import Shift, ShiftSwap, StandbyTeam
from tests.factories import UserFactory
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db
API = "/api/v1/standby"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_teams_and_rotation_by_the_bureau_chief(court_a, staff, chief, teams, time_machine):
    time_machine.move_to(local(2026, 11, 30, 12), tick=False)
    api = client_for(chief)
    body = {
        "name": "新组",
        "leader": UserFactory(court=court_a, roles=[Role.BUREAU_CHIEF]).pk,
        "judge": UserFactory(court=court_a, roles=[Role.JUDGE]).pk,
        "police": UserFactory(court=court_a, roles=[Role.JUDICIAL_POLICE]).pk,
    }
    created = api.post(f"{API}/teams/", body, format="json")
    assert created.status_code == 201, created.content
    wrong = api.post(
        f"{API}/teams/", {**body, "name": "错", "judge": body["police"]}, format="json"
    )
    assert wrong.status_code == 400 and "judge" in wrong.json()["fields"]
    assert (
        client_for(staff[Role.JUDGE]).post(f"{API}/teams/", body, format="json").status_code == 403
    )
    rotation = {
        "teams": [created.json()["id"], teams[0].pk],
        "shift_hours": 24,
        "starts_on": "2026-12-01",
        "start_time": "08:00",
    }
    response = api.put(f"{API}/rotation/", rotation, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["teams"] == rotation["teams"]
    assert Shift.objects.filter(court=court_a).count() == 56
    assert api.get(f"{API}/rotation/").json()["shift_hours"] == 24
    unknown = api.put(f"{API}/rotation/", {**rotation, "teams": [999999]}, format="json")
    assert unknown.status_code == 400


def test_swap_through_the_api_and_a_409_when_the_roster_moved(court_a, chief, rotation):
    mine = Shift.objects.get(starts_at=local(2026, 12, 3, 8))
    theirs = Shift.objects.get(starts_at=local(2026, 12, 5, 8))
    me, other = client_for(mine.police), client_for(theirs.police)
    asked = me.post(
        f"{API}/swaps/",
        {"shift": mine.pk, "counterpart": theirs.police_id, "counterpart_shift": theirs.pk},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    pk = asked.json()["id"]
    assert other.post(f"{API}/swaps/{pk}/accept/").json()["status"] == "accepted"
    assert other.post(f"{API}/swaps/{pk}/approve/").status_code == 403
    assert client_for(chief).post(f"{API}/swaps/{pk}/approve/").json()["status"] == "approved"
    again = client_for(chief).post(f"{API}/swaps/{pk}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"
    mine.refresh_from_db()
    assert mine.police_id == theirs.police_id
    with translation.override("en"):
        bad = me.post(f"{API}/swaps/", {"shift": mine.pk, "counterpart": chief.pk}, format="json")
    assert bad.status_code == 400
    assert ShiftSwap.objects.count() == 1
    # Someone not taking part sees nothing of it.
    stranger = client_for(UserFactory(court=court_a, roles=[Role.CLERK]))
    assert stranger.get(f"{API}/swaps/{pk}/").status_code == 404


def test_override_through_the_api(court_a, chief, staff, rotation):
    people = {
        place: UserFactory(court=court_a, roles=[role]).pk
        for place, role in {
            "leader": Role.BUREAU_CHIEF, "judge": Role.JUDGE, "police": Role.JUDICIAL_POLICE
        }.items()
    }  # fmt: skip
    body = {
        "starts_at": "2027-01-10T08:00:00+08:00",
        "ends_at": "2027-01-12T08:00:00+08:00",
        "reason": "春节",
        **people,
    }
    assert (
        client_for(staff[Role.JUDGE]).post(f"{API}/overrides/", body, format="json").status_code
        == 403
    )
    response = client_for(chief).post(f"{API}/overrides/", body, format="json")
    assert response.status_code == 201, response.content
    assert Shift.objects.filter(origin="override").count() == 2
    assert StandbyTeam.objects.count() == 6
