"""The command centre's standby tiles and the callouts' trend, against the standby figures'
hand-built December 2026 (court A, see ``tests.standby.figures_data``) and court B's callout
and a shift of its own: known figures per court and for the intermediate court over both, an
empty period, the previous period, drill-down lists that agree, and who sees which tile."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from courtexec.command.figures.debtors import yes_no
from courtexec.command.selectors import evaluate
from courtexec.command.tiles import REGISTRY, Scope
from courtexec.roles import Role
from standby.models import Shift
from tests.factories import UserFactory
from tests.standby import figures_data
from tests.standby.figures_data import local

pytestmark = pytest.mark.django_db

KEYS = {"standby.open_callouts", "standby.on_duty", "standby.callouts", "standby.assists"}
DECEMBER = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def scope(*courts, start=DECEMBER[0], end=DECEMBER[1], today=dt.date(2026, 12, 2)) -> Scope:
    return Scope(frozenset(court.pk for court in courts), start, end, today)


def figure(key: str, where: Scope):
    return REGISTRY.tiles[key].measure(where)


@pytest.fixture(autouse=True)
def _long_after():
    """Run in June 2027, so that no scope day of these tests is the real today (read "now")."""
    with time_machine.travel(local(6, 1, 10, year=2027), tick=False):
        yield


@pytest.fixture
def data(court_a, court_b, court_h, staff):
    """The figures' dataset, and court B's override shift from 2 December 08:00 for a day."""
    built = figures_data.build(court_a, court_b, staff)
    people = [UserFactory(username=f"b_duty_{n}", court=court_b, roles=[Role.JUDGE]) for n in "123"]
    figures_data.shift(court_b, None, local(12, 2, 8), people=people, origin=Shift.Origin.OVERRIDE)
    return built


def test_callouts_and_assists_of_each_court_and_of_the_court_above(data, court_a, court_b, court_h):
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    # A: c1–c5 and c7 caught in December (c1, c3, c4, c5 assists); B: one assist.
    assert [figure("standby.callouts", s) for s in (a, b, h)] == [6, 1, 7]
    assert [figure("standby.assists", s) for s in (a, b, h)] == [4, 1, 5]
    january = scope(court_a, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    assert (figure("standby.callouts", january), figure("standby.assists", january)) == (1, 1)


def test_open_callouts(data, court_a, court_b, court_h):
    """Everything but the two closed (c6, c7): handed over is not closed yet."""
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    assert [figure("standby.open_callouts", s) for s in (a, b, h)] == [6, 1, 7]
    # Past the deadline, not handed over: at noon on 2 December the catch of 30 November; on
    # 4 December c4 too (due 3 December 08:00).
    tile = REGISTRY.tiles["standby.open_callouts"]
    for today, late in ((dt.date(2026, 12, 2), 1), (dt.date(2026, 12, 4), 2)):
        rows = [[column.value(row) for column in tile.columns] for row in tile.records(
            scope(court_a, today=today))]  # fmt: skip
        assert [row[-1] for row in rows].count(yes_no(True)) == late


def test_teams_on_duty(data, court_a, court_b, court_h):
    tile = REGISTRY.tiles["standby.on_duty"]
    # Noon on 2 December (not today): court A's 二组 and court B's override.
    h = scope(court_h, court_a, court_b)
    assert [figure("standby.on_duty", s) for s in (scope(court_a), scope(court_b), h)] == [1, 1, 2]
    with translation.override("en"):
        teams = {tuple(column.value(shift) for column in tile.columns[:2]) for shift in
                 tile.records(h)}  # fmt: skip
    assert teams == {(court_a.name, "二组"), (court_b.name, "Override")}
    # 4 December: court A is in a gap, court B's shift ended.
    assert (
        figure("standby.on_duty", scope(court_h, court_a, court_b, today=dt.date(2026, 12, 4))) == 0
    )
    # On the day itself the figure is read now: at 07:30 on 3 December 二组 is still on duty
    # (noon would be the override's).
    with time_machine.travel(local(12, 3, 7, 30), tick=False):
        [shift] = tile.records(scope(court_a, today=dt.date(2026, 12, 3)))
    assert shift.team == data.team_b


def test_an_empty_period(data, court_a, court_b, court_h):
    empty = scope(court_h, court_a, court_b, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30))
    assert (figure("standby.callouts", empty), figure("standby.assists", empty)) == (0, 0)
    chart = REGISTRY.charts["standby.trend"].build(empty)
    assert len(chart.labels) == 12 and [sum(s.values) for s in chart.series] == [0, 0]


def test_the_previous_period(data, court_a):
    """December against 31 October – 30 November: the catch of 30 November 23:30."""
    tiles = [REGISTRY.tiles[key] for key in ("standby.callouts", "standby.assists")]
    callouts, assists = evaluate(tiles, scope(court_a))
    assert (callouts.value, callouts.previous, assists.value, assists.previous) == (6, 1, 4, 0)
    on_duty = evaluate([REGISTRY.tiles["standby.on_duty"]], scope(court_a))[0]
    assert on_duty.previous is None


def test_drill_downs_agree_with_the_figures(
    data, court_a, court_b, court_h, django_assert_max_num_queries
):
    h = scope(court_h, court_a, court_b)
    for key in KEYS:
        tile = REGISTRY.tiles[key]
        with django_assert_max_num_queries(1):
            rows = [[column.value(r) for column in tile.columns] for r in tile.records(h)]
        assert len(rows) == tile.measure(h), key
    callouts = REGISTRY.tiles["standby.callouts"]
    first = callouts.records(h).first()
    assert callouts.columns[0].link(first) == f"/standby/callouts/{first.pk}/"
    assert callouts.columns[2].value(first) == "2026-12-01 10:00"  # c2, the first caught


def test_the_trend(data, court_a, court_b, court_h):
    chart = REGISTRY.charts["standby.trend"].build(scope(court_h, court_a, court_b))
    assert chart.labels[0] == "2026-01" and chart.labels[-2:] == ["2026-11", "2026-12"]
    callouts, assists = chart.series
    assert (callouts.values[-2:], assists.values[-2:]) == ([1, 7], [0, 5])
    january = REGISTRY.charts["standby.trend"].build(
        scope(court_a, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    )
    assert january.series[0].values[-3:] == [1, 6, 1]


def test_who_sees_which_tile(staff, court_a):
    for role, user in staff.items():
        if role == "ticket_clerk":
            continue
        visible = {tile.key for tile in REGISTRY.visible_tiles(user)}
        for key in KEYS:
            shown = user.has_perm("command.view_command_centre") and user.has_perm(
                REGISTRY.tiles[key].permission
            )
            assert (key in visible) == shown, (role, key)
    assert {tile.key for tile in REGISTRY.visible_tiles(staff[Role.JUDICIAL_POLICE])} >= KEYS
    finance = staff[Role.FINANCE]
    assert not KEYS & {tile.key for tile in REGISTRY.visible_tiles(finance)}
    assert "standby.trend" not in {chart.key for chart in REGISTRY.visible_charts(finance)}
    # The police liaison sees callouts in their app, not the command centre.
    assert not REGISTRY.visible_tiles(staff[Role.POLICE_LIAISON])
