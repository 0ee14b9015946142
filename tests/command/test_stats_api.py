"""The command centre's API: ``/api/v1/stats/`` (every tile and chart) and a tile's records."""

# The test registry and dataset are test_pages' fixtures, imported (tests/command/conftest.py
# belongs to the core), so pytest's fixture arguments shadow the imports:
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courtexec.roles import Role
from tests.command.test_pages import (  # noqa: F401
    APRIL,
    cases,
    judge_b,
    parties_b,
    registry,
)


@pytest.fixture
def api():
    return APIClient(headers={"accept-language": "en"})


def tiles_by_key(response) -> dict:
    return {tile["key"]: tile for tile in response.json()["tiles"]}


@pytest.mark.django_db
class TestStats:
    def test_shape_and_figures(self, api, registry, cases, chief_a, court_a):
        api.force_authenticate(chief_a)
        response = api.get(reverse("api-stats"), APRIL)
        assert response.status_code == 200
        body = response.json()
        assert body["period"] == {"from": "2016-04-01", "to": "2016-04-30"}
        assert body["previous_period"] == {"from": "2016-03-02", "to": "2016-03-31"}
        assert body["courts"] == [court_a.pk]
        tiles = tiles_by_key(response)
        assert list(tiles) == ["t.filed", "t.share", "t.amount", "t.open", "t.days"]
        filed = tiles["t.filed"]
        assert filed | {"drilldown": None} == {
            "key": "t.filed",
            "group": "cases",
            "label": "Test filed",
            "unit": "count",
            "value": 3,
            "previous": 1,
            "change": 2,
            "snapshot": False,
            "alert": False,
            "help": "Filed in the period.",
            "breakdown": [],
            "drilldown": None,
        }
        assert filed["drilldown"] == (
            "http://testserver/api/v1/stats/tiles/t.filed/?from=2016-04-01&to=2016-04-30"
        )
        assert tiles["t.amount"]["value"] == 36000000  # fen
        assert tiles["t.amount"]["change"] == 24000000
        assert tiles["t.share"]["value"] == 66.7 and tiles["t.share"]["previous"] == 100.0
        assert tiles["t.days"]["value"] == 3.5
        snapshot = tiles["t.open"]
        assert snapshot["snapshot"] is True and snapshot["previous"] is None
        assert snapshot["change"] is None and snapshot["value"] == 4
        assert snapshot["breakdown"] == [
            {"label": "Tier one", "value": 2, "amount": 150000, "colour": "warning"},
            {"label": "Tier two", "value": 1, "amount": None, "colour": "orange"},
        ]
        assert body["charts"] == [
            {
                "key": "t.trend",
                "label": "Test trend",
                "kind": "bar",
                "labels": ["2016-03", "2016-04"],
                "series": [
                    {"label": "Filed", "unit": "count", "values": [1, 2]},
                    {"label": "Amount", "unit": "money", "values": [12345, None]},
                ],
            }
        ]

    def test_empty_period(self, api, registry, cases, chief_a):
        api.force_authenticate(chief_a)
        tiles = tiles_by_key(
            api.get(reverse("api-stats"), {"from": "2015-01-01", "to": "2015-01-31"})
        )
        assert tiles["t.filed"]["value"] == 0 and tiles["t.share"]["value"] is None

    def test_intermediate_court(self, api, registry, cases, president_h, court_a, court_b, court_h):
        api.force_authenticate(president_h)
        body = api.get(reverse("api-stats"), APRIL).json()
        assert body["courts"] == sorted([court_a.pk, court_b.pk, court_h.pk])
        assert tiles_by_key_json(body)["t.filed"]["value"] == 5
        only_b = api.get(reverse("api-stats"), APRIL | {"court": court_b.pk}).json()
        assert only_b["courts"] == [court_b.pk]
        assert tiles_by_key_json(only_b)["t.filed"]["value"] == 2

    def test_judge_does_not_get_funds_tiles(self, api, registry, judge_only_a):
        api.force_authenticate(judge_only_a)
        tiles = tiles_by_key(api.get(reverse("api-stats")))
        assert "t.filed" in tiles and "t.amount" not in tiles

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "x"}, "from"),
            ({"from": "2016-05-01", "to": "2016-04-01"}, "to"),
            ({"court": "abc"}, "court"),
        ],
    )
    def test_bad_input_is_400(self, api, registry, chief_a, params, field):
        api.force_authenticate(chief_a)
        response = api.get(reverse("api-stats"), params)
        assert response.status_code == 400
        assert field in response.json()["fields"]

    def test_court_of_another_court_is_400(self, api, registry, chief_a, court_b):
        api.force_authenticate(chief_a)
        response = api.get(reverse("api-stats"), {"court": court_b.pk})
        assert response.status_code == 400 and "court" in response.json()["fields"]

    @pytest.mark.parametrize("role", [Role.PARTY, Role.POLICE_LIAISON])
    def test_outside_roles_403(self, api, registry, staff, role):
        api.force_authenticate(staff[role])
        assert api.get(reverse("api-stats")).status_code == 403
        assert api.get(reverse("api-stats-tile", args=["t.filed"])).status_code == 403

    def test_anonymous_refused(self, api):
        assert api.get(reverse("api-stats")).status_code in (401, 403)


def tiles_by_key_json(body: dict) -> dict:
    return {tile["key"]: tile for tile in body["tiles"]}


@pytest.mark.django_db
class TestTileRecords:
    def test_records_make_the_figure(self, api, registry, cases, chief_a):
        api.force_authenticate(chief_a)
        body = api.get(reverse("api-stats-tile", args=["t.amount"]), APRIL).json()
        assert body["key"] == "t.amount" and body["unit"] == "money"
        assert body["period"] == {"from": "2016-04-01", "to": "2016-04-30"}
        assert body["columns"] == ["Case number", "Amount"]
        assert body["count"] == 3 == len(body["rows"])
        assert sum(row[1] for row in body["rows"]) == body["value"] == 36000000
        assert [row[0] for row in body["rows"]] == [case.number for case in cases["april_a"]]

    def test_dates_and_previous_period(self, api, registry, cases, chief_a):
        api.force_authenticate(chief_a)
        body = api.get(
            reverse("api-stats-tile", args=["t.filed"]), APRIL | {"previous": "true"}
        ).json()
        assert body["period"] == {"from": "2016-03-02", "to": "2016-03-31"}
        assert body["value"] == body["count"] == 1
        row = dict(zip(body["columns"], body["rows"][0], strict=True))
        assert row["Filed on"] == "2016-03-10" and row["Case number"] == cases["march_a"][0].number

    def test_pagination(self, api, registry, cases, president_h, monkeypatch):
        monkeypatch.setattr("courtexec.command.api.stats.RecordsPagination.page_size", 2)
        api.force_authenticate(president_h)
        first = api.get(reverse("api-stats-tile", args=["t.filed"]), APRIL).json()
        assert first["count"] == first["value"] == 5 and len(first["rows"]) == 2
        assert first["previous"] is None and "page=2" in first["next"]
        last = api.get(first["next"].replace("page=2", "page=3")).json()
        assert len(last["rows"]) == 1 and last["next"] is None

    def test_unknown_or_hidden_tile_404(self, api, registry, judge_only_a):
        api.force_authenticate(judge_only_a)
        assert api.get(reverse("api-stats-tile", args=["t.nope"])).status_code == 404
        assert api.get(reverse("api-stats-tile", args=["t.amount"])).status_code == 404

    def test_bad_period_400(self, api, registry, chief_a):
        api.force_authenticate(chief_a)
        response = api.get(reverse("api-stats-tile", args=["t.filed"]), {"to": "2016-02-30"})
        assert response.status_code == 400 and "to" in response.json()["fields"]


@pytest.mark.django_db
def test_schema_documents_the_endpoints(api, chief_a):
    api.force_authenticate(chief_a)
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/stats/" in schema["paths"]
    assert "/api/v1/stats/tiles/{key}/" in schema["paths"]
    tile = schema["components"]["schemas"]["Tile"]["properties"]
    assert {"value", "previous", "change", "breakdown", "drilldown"} <= set(tile)
