"""Admin of the roster: court-scoped lists, read-only shifts, teams through the service, swap
actions calling the services."""

from __future__ import annotations

import pytest
from django.utils import translation

from courtexec.roles import Role
from standby import services
from standby.models import Shift, ShiftSwap, StandbyTeam
from tests.factories import UserFactory
from tests.standby.roster_fixtures import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_chief(chief):
    chief.is_staff = True
    chief.save()
    return chief


def test_lists_are_court_scoped_and_shifts_read_only(client, admin_chief, court_b, rotation):
    client.force_login(admin_chief)
    for model in ("standbyteam", "rotation", "shift", "override", "shiftswap"):
        assert client.get(f"/admin/standby/{model}/").status_code == 200, model
    shift = Shift.objects.first()
    page = client.get(f"/admin/standby/shift/{shift.pk}/change/")
    assert page.status_code == 200
    assert 'name="judge"' not in page.content.decode()  # read-only
    other_chief = UserFactory(court=court_b, roles=[Role.BUREAU_CHIEF], is_staff=True)
    client.force_login(other_chief)
    assert "第1组" not in client.get("/admin/standby/standbyteam/").content.decode()
    assert client.get(f"/admin/standby/shift/{shift.pk}/change/").status_code in (302, 404)


def test_team_form_checks_the_roles(client, admin_chief, court_a, staff):
    client.force_login(admin_chief)
    body = {
        "name": "第9组",
        "leader": staff[Role.JUDGE].pk,
        "judge": staff[Role.JUDGE].pk,
        "police": staff[Role.JUDICIAL_POLICE].pk,
        "active": "on",
    }
    with translation.override("en"):
        response = client.post("/admin/standby/standbyteam/add/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "does not hold the role" in response.content.decode()
    body["leader"] = admin_chief.pk
    assert client.post("/admin/standby/standbyteam/add/", body).status_code == 302
    assert StandbyTeam.objects.get(name="第9组").court == court_a


def test_approve_action(client, admin_chief, rotation):
    mine = Shift.objects.get(starts_at=local(2026, 12, 3, 8))
    theirs = Shift.objects.get(starts_at=local(2026, 12, 5, 8))
    swap = services.request_swap(
        user=mine.judge, shift=mine, counterpart=theirs.judge, counterpart_shift=theirs
    )
    services.accept_swap(user=theirs.judge, swap=swap)
    client.force_login(admin_chief)
    client.post(
        "/admin/standby/shiftswap/",
        {"action": "approve_swaps", "_selected_action": [swap.pk]},
    )
    assert ShiftSwap.objects.get(pk=swap.pk).status == "approved"
