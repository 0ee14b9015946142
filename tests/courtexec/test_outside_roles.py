"""People outside the bureau (police liaison, vehicle custodian, partner system) start at their
task's page, not at the dashboard with the court's figures and staff; staff keep the dashboard."""

from __future__ import annotations

import pytest

from courtexec.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.POLICE_LIAISON, "/standby/callouts/"),
        (Role.CUSTODIAN, "/vehicles/custody/portal/"),
        (Role.SIGHTING_PARTNER, "/vehicles/sightings/"),
    ],
)
def test_outside_roles_start_at_their_task(client, court_a, role, start):
    client.force_login(UserFactory(court=court_a, roles=[role]))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == start
    assert client.get(start).status_code == 200


def test_staff_and_mixed_roles_keep_the_dashboard(client, court_a):
    client.force_login(UserFactory(court=court_a, roles=[Role.JUDGE, Role.POLICE_LIAISON]))
    assert client.get("/").status_code == 200
    client.force_login(UserFactory(court=court_a, roles=[]))
    assert client.get("/").status_code == 200
