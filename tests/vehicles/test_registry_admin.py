"""Admin of the registry: court-scoped, read-only windows with history."""

from __future__ import annotations

import pytest

from vehicles import services

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.vehicles.registry_fixtures"]


def test_lists_are_court_scoped_and_read_only(client, judge, judge_b, vehicle, surveillance):
    services.report_sighting(
        user=judge,
        court=judge.court,
        report=services.SightingReport(
            plate="浙A12345", place="文三路", seen_at=surveillance.created_at
        ),
    )
    judge.is_staff = True
    judge.save()
    client.force_login(judge)
    for model in ("vehicle", "surveillance", "sighting"):
        page = client.get(f"/admin/vehicles/{model}/")
        assert page.status_code == 200, model
        assert "浙A12345" in page.content.decode(), model
    change = client.get(f"/admin/vehicles/vehicle/{vehicle.pk}/change/").content.decode()
    assert 'name="plate"' not in change
    assert client.get(f"/admin/vehicles/vehicle/{vehicle.pk}/history/").status_code == 200
    judge_b.is_staff = True
    judge_b.save()
    client.force_login(judge_b)
    for model in ("vehicle", "surveillance", "sighting"):
        assert "浙A12345" not in client.get(f"/admin/vehicles/{model}/").content.decode()
    assert client.get(f"/admin/vehicles/vehicle/{vehicle.pk}/history/").status_code == 404
