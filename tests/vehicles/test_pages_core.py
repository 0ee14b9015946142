"""The vehicle list and page answer for staff and refuse those without the permission."""

from __future__ import annotations

import pytest

from courtexec.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_list_and_the_page(client, judge, vehicle):
    client.force_login(judge)
    assert vehicle.plate in client.get("/vehicles/").content.decode()
    assert client.get(vehicle.get_absolute_url()).status_code == 200


def test_another_court_sees_neither(client, court_b, vehicle):
    client.force_login(UserFactory(court=court_b, roles=[Role.JUDGE]))
    assert vehicle.plate not in client.get("/vehicles/").content.decode()
    assert client.get(vehicle.get_absolute_url()).status_code == 404


def test_a_party_less_role_without_permission_is_refused(client, court_a):
    client.force_login(UserFactory(court=court_a, roles=[Role.SIGHTING_PARTNER]))
    assert client.get("/vehicles/").status_code == 403
