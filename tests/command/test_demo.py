"""The command centre from the demo data: every tile has a figure, every chart has data, and
every drill-down opens on the records its figure counts."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtexec.command.models import ExportJob, MonthlyReport
from courtexec.command.tiles import REGISTRY, Unit
from courtexec.models import User
from tests.command.test_pages import BASE_QUERIES, PER_CHART, PER_TILE

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_tile_chart_and_drill_down(client):
    call_command("demo", stdout=io.StringIO())
    chief = User.objects.get(username="chief")
    client.force_login(chief)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("command:dashboard"))
    assert response.status_code == 200
    bound = BASE_QUERIES + PER_TILE * len(REGISTRY.tiles) + PER_CHART * len(REGISTRY.charts)
    assert len(queries) <= bound  # the same bound as for a handful of records
    cards = [card for _label, members in response.context["groups"] for card in members]
    assert {card.tile.key for card in cards} == set(REGISTRY.tiles)
    empty = [card.tile.key for card in cards if card.figure.value in (0, None)]
    assert empty == []
    for chart, canvas, data in response.context["charts"]:
        assert any(any(series["values"]) for series in data["series"]), chart.key
        assert f'id="{canvas}"' in response.content.decode()
    for card in cards:
        drill = client.get(card.href)
        assert drill.status_code == 200, card.tile.key
        assert drill.context["value"] == card.figure.value
        if card.tile.unit == Unit.COUNT and card.tile.value is None:
            assert drill.context["page"].paginator.count == card.figure.value, card.tile.key
    assert client.get(reverse("command:wall")).status_code == 200
    assert MonthlyReport.objects.filter(court=chief.court).exists()
    assert ExportJob.objects.filter(requested_by=chief, status=ExportJob.Status.DONE).exists()
