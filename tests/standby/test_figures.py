"""Standby figures against a hand-built dataset with known answers (see ``figures_data``):
through the selector and the API; an empty period, month and team splits, night money, court
visibility, bad periods and who may ask."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation
from rest_framework.test import APIClient

from courtexec.roles import Role
from standby import selectors
from tests.factories import UserFactory
from tests.standby import figures_data
from tests.standby.figures_data import local

pytestmark = pytest.mark.django_db

DEC_1, DEC_31 = dt.date(2026, 12, 1), dt.date(2026, 12, 31)
JAN_31 = dt.date(2027, 1, 31)
NOW = local(12, 10, 12)


@pytest.fixture
def data(court_a, court_b, staff):
    return figures_data.build(court_a, court_b, staff)


def test_december_figures(data, judge):
    total = selectors.figures(user=judge, start=DEC_1, end=DEC_31, now=NOW).total
    assert total.callouts == 6  # c1–c5 and c7; not the catch of 30 November, not court B's
    assert total.assists == 4
    assert total.assist_share == Decimal("66.7")
    assert total.handed_over == 4
    assert total.handed_over_late == 2  # c2 (12:30 after 12:00) and c3 (08:30 after 08:00)
    assert total.handed_over_on_time == 2
    assert total.on_time_share == Decimal("50.0")
    assert total.median_handover_minutes == Decimal("105.0")  # 31, 60 | 150, 240
    assert total.overdue == 1  # c4; c7 closed without a handover is not overdue
    assert total.night_callouts == 3  # 22:00, 07:59 and 20:00; not 08:00 nor 19:59
    assert total.night_amount_paid == 520000  # c1 + c3 (c2 and c5 paid in the day)
    assert total.amount_paid == 650000


def test_the_seed_share_of_assists(data, judge):
    """Four of the five catches of 1–3 December were for other courts: the seed's 80%."""
    total = selectors.figures(user=judge, start=DEC_1, end=dt.date(2026, 12, 3), now=NOW).total
    assert (total.callouts, total.assists, total.assist_share) == (5, 4, Decimal("80.0"))


def test_overdue_depends_on_now(data, judge):
    before = local(12, 3, 7, 59)
    assert selectors.figures(user=judge, start=DEC_1, end=DEC_31, now=before).total.overdue == 0


def test_by_month_across_the_year_end(data, judge):
    numbers = selectors.figures(user=judge, start=DEC_1, end=JAN_31, now=NOW)
    assert [(m.start, m.end) for m in numbers.months] == [
        (DEC_1, DEC_31),
        (dt.date(2027, 1, 1), JAN_31),
    ]
    december, january = (m.figures for m in numbers.months)
    assert december.callouts == 6
    assert (january.callouts, january.assists, january.night_amount_paid) == (1, 1, 250000)
    assert january.median_handover_minutes == Decimal("150.0")
    total = numbers.total
    assert (total.callouts, total.assists, total.assist_share) == (7, 5, Decimal("71.4"))
    assert (total.handed_over, total.handed_over_late, total.on_time_share) == (
        5,
        2,
        Decimal("60.0"),
    )
    assert total.median_handover_minutes == Decimal("150.0")  # 31, 60, 150, 150, 240
    assert total.night_amount_paid == 770000


def test_by_team_with_the_override(data, judge):
    numbers = selectors.figures(user=judge, start=DEC_1, end=JAN_31, now=NOW)
    teams = {team.key: team for team in numbers.teams}
    assert list(teams) == [str(data.team_a.pk), str(data.team_b.pk), selectors.OVERRIDE]
    a, b, override = (teams[key].figures for key in teams)
    assert teams[str(data.team_a.pk)].name == "一组"
    assert (a.callouts, a.assists, a.handed_over, a.handed_over_late) == (4, 3, 4, 2)
    assert a.median_handover_minutes == Decimal("150.0")  # 31, 150 | 150, 240
    assert a.night_amount_paid == 770000
    assert (b.callouts, b.assists, b.handed_over, b.overdue) == (1, 1, 0, 1)
    assert b.median_handover_minutes is None and b.on_time_share is None
    # c5 (a shift put together by an override) and c7 (caught in a gap)
    assert (override.callouts, override.assists, override.handed_over) == (2, 1, 1)
    assert override.median_handover_minutes == Decimal("60.0")
    assert override.night_amount_paid == 0
    assert sum(t.figures.callouts for t in numbers.teams) == numbers.total.callouts


def test_an_empty_period(data, judge):
    numbers = selectors.figures(
        user=judge, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 28), now=NOW
    )
    total = numbers.total
    assert (total.callouts, total.assists, total.handed_over, total.night_amount_paid) == (
        0,
        0,
        0,
        0,
    )
    assert total.assist_share is None
    assert total.on_time_share is None
    assert total.median_handover_minutes is None
    assert numbers.teams == []
    assert [m.figures.callouts for m in numbers.months] == [0]


def test_another_court_sees_only_its_own(data, court_b):
    judge_b = UserFactory(court=court_b, roles=[Role.JUDGE])
    total = selectors.figures(user=judge_b, start=DEC_1, end=DEC_31, now=NOW).total
    assert (total.callouts, total.night_amount_paid) == (1, 999999)


# --- The API -----------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_answers_the_figures(data, judge):
    with time_machine.travel(NOW, tick=False):
        response = api(judge).get(
            "/api/v1/standby/figures/", {"from": "2026-12-01", "to": "2027-01-31"}
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"]["callouts"] == 7
    assert body["total"]["assist_share"] == "71.4"
    assert body["total"]["median_handover_minutes"] == "150.0"
    assert body["total"]["night_amount_paid"] == 770000
    assert body["total"]["overdue"] == 1
    assert [m["start"] for m in body["months"]] == ["2026-12-01", "2027-01-01"]
    assert [t["key"] for t in body["teams"]][-1] == "override"


def test_api_defaults_to_this_month(data, judge):
    with time_machine.travel(NOW, tick=False):
        body = api(judge).get("/api/v1/standby/figures/").json()
    assert (body["start"], body["end"]) == ("2026-12-01", "2026-12-31")
    assert body["total"]["callouts"] == 6


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"from": "2026-13-01"}, "from", "invalid"),
        ({"to": "yesterday"}, "to", "invalid"),
        ({"from": "2026-12-31", "to": "2026-12-01"}, "to", "reversed"),
        ({"from": "2000-01-01", "to": "2026-12-01"}, "to", "too_long"),
        ({"from": "9999-12-01"}, "from", "out_of_range"),
        ({"to": "0001-01-01"}, "to", "out_of_range"),
    ],
)
def test_api_refuses_bad_periods(judge, query, field, code):
    response = api(judge).get("/api/v1/standby/figures/", query)
    assert response.status_code == 400
    assert response.json()["field_codes"] == {field: [code]}


def test_bad_periods_say_why_in_english():
    from standby.forms_board import PeriodForm

    with translation.override("en"):
        form = PeriodForm({"from": "2026-12-31", "to": "2026-12-01"})
        assert not form.is_valid()
        assert form.errors["end"] == ["The end of the period cannot precede its start."]


@pytest.mark.parametrize("role", [Role.POLICE_LIAISON, Role.FINANCE, Role.INVESTIGATOR])
def test_api_refuses_who_is_not_bureau_staff(staff, role):
    assert api(staff[role]).get("/api/v1/standby/figures/").status_code == 403


def test_api_refuses_anonymous():
    assert APIClient().get("/api/v1/standby/figures/").status_code in (401, 403)


def test_figures_are_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/standby/figures/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to"}
