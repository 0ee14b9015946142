"""The command centre's case tiles and trend chart against a hand-built set of cases.

Courts A and B under the intermediate court H; the period is the first quarter of 2024 and
"today" 15 April 2024. Each case's fate (days are filing → closing):

    A  a1  filed 2023-10-01  open, due 2024-04-01 (overdue), flagged, no meeting
    A  a2  filed 2023-11-01  closed 2024-02-10 (101 days), flagged
    A  a3  filed 2023-06-01  closed 2023-12-20 (before the period)
    A  a4  filed 2024-01-15  closed 2024-03-01 (46 days)
    A  a5  filed 2024-02-01  open, flagged, meeting deferred
    A  a7  filed 2024-03-01  closed 2024-03-31 (30 days)
    A  a8  filed 2023-11-01  open, due 2024-05-01 (due soon), consulted 2024-03-01,
                             flagged, meeting approved
    B  b1  filed 2024-01-05  closed 2024-01-25 (20 days)
    B  b2  filed 2023-09-15  open, due 2024-03-15 (overdue), flagged, on the agenda
    B  b3  filed 2023-09-01  closed 2024-03-20 (201 days)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from courtexec.command.selectors import court_subtree, evaluate
from courtexec.command.tiles import REGISTRY, Scope
from courtexec.roles import Role
from enforcement import services
from enforcement.models import EnforcementCase, MeetingDecision
from tests.enforcement.fixtures import file_case

pytestmark = pytest.mark.django_db

D = dt.date
Q1 = (D(2024, 1, 1), D(2024, 3, 31))
TODAY = D(2024, 4, 15)
Flag = EnforcementCase.Flag
CLOSED = EnforcementCase.ClosureMode.WITHDRAWN


def close(case: EnforcementCase, user, on: dt.date) -> None:
    services.close_case(case=case, user=user, mode=CLOSED, reason="申请执行人撤回申请", on=on)


@pytest.fixture
def dataset(court_a, court_b, court_h, staff, judge, judge_b, chief_b, applicant, respondent):
    def filed(court, judge, on, flags=()):
        return file_case(court, judge, applicant, respondent, filed_on=on, flags=list(flags))

    cases = {
        "a1": filed(court_a, judge, D(2023, 10, 1), [Flag.MAJOR]),
        "a2": filed(court_a, judge, D(2023, 11, 1), [Flag.DIFFICULT]),
        "a3": filed(court_a, judge, D(2023, 6, 1)),
        "a4": filed(court_a, judge, D(2024, 1, 15)),
        "a5": filed(court_a, judge, D(2024, 2, 1), [Flag.DIFFICULT]),
        "a7": filed(court_a, judge, D(2024, 3, 1)),
        "a8": filed(court_a, judge, D(2023, 11, 1), [Flag.HIGH_IMPACT]),
        "b1": filed(court_b, judge_b, D(2024, 1, 5)),
        "b2": filed(court_b, judge_b, D(2023, 9, 15), [Flag.STABILITY_RISK]),
        "b3": filed(court_b, judge_b, D(2023, 9, 1)),
    }
    for key, on in [
        ("a2", D(2024, 2, 10)),
        ("a3", D(2023, 12, 20)),
        ("a4", D(2024, 3, 1)),
        ("a7", D(2024, 3, 31)),
    ]:
        close(cases[key], judge, on)
    close(cases["b1"], judge_b, D(2024, 1, 25))
    close(cases["b3"], judge_b, D(2024, 3, 20))
    services.record_consultation(
        case=cases["a8"],
        user=judge,
        held_on=D(2024, 3, 1),
        participants=[judge],
        findings="被执行人称正在筹款",
        next_steps="一个月后再次约谈",
    )
    chief = staff[Role.BUREAU_CHIEF]
    meeting = services.convene_meeting(
        court=court_a, user=chief, held_on=D(2024, 3, 5), attendees=[chief, judge]
    )
    for key, decision in [
        ("a5", MeetingDecision.Decision.DEFERRED),
        ("a8", MeetingDecision.Decision.APPROVED),
    ]:
        item = services.put_on_agenda(meeting=meeting, case=cases[key], user=chief, matter="处置")
        services.record_meeting_decision(
            item=item,
            user=chief,
            decision=decision,
            discussion="讨论",
            votes_for=2,
            votes_against=0,
            abstentions=0,
        )
    b_meeting = services.convene_meeting(
        court=court_b, user=chief_b, held_on=D(2024, 4, 20), attendees=[chief_b]
    )
    services.put_on_agenda(meeting=b_meeting, case=cases["b2"], user=chief_b, matter="稳控")
    return cases


def scope_of(court, start=Q1[0], end=Q1[1], today=TODAY) -> Scope:
    return Scope(court_subtree(court.pk), start, end, today)


def measure(key: str, scope: Scope):
    return REGISTRY.tiles[key].measure(scope)


def numbers(key: str, scope: Scope) -> set[str]:
    return {case.number for case in REGISTRY.tiles[key].records(scope)}


EXPECTED = {
    # tile: (court A, intermediate court H = A + B)
    "cases.filed": (3, 4),
    "cases.concluded": (3, 5),
    "cases.clearance_rate": (Decimal("50.0"), Decimal("55.6")),  # 3/6, 5/9
    "cases.duration_avg": (Decimal("59.0"), Decimal("79.6")),  # (101+46+30)/3, +20+201
    "cases.duration_median": (Decimal("46.0"), Decimal("46.0")),
    "cases.overdue": (1, 2),
    "cases.due_soon": (1, 1),
    "cases.needs_consultation": (1, 2),
    "cases.needs_joint_meeting": (2, 3),
}


@pytest.mark.parametrize("key", EXPECTED)
def test_figures_of_a_court_and_of_the_court_above(dataset, court_a, court_h, key):
    assert measure(key, scope_of(court_a)) == EXPECTED[key][0]
    assert measure(key, scope_of(court_h)) == EXPECTED[key][1]


def test_the_lists_behind_the_counts(dataset, court_a, court_h):
    number = {key: case.number for key, case in dataset.items()}
    a, h = scope_of(court_a), scope_of(court_h)
    assert numbers("cases.filed", a) == {number["a4"], number["a5"], number["a7"]}
    assert numbers("cases.concluded", h) == {number[k] for k in ("a2", "a4", "a7", "b1", "b3")}
    assert numbers("cases.overdue", h) == {number["a1"], number["b2"]}
    assert numbers("cases.due_soon", a) == {number["a8"]}
    assert numbers("cases.needs_consultation", h) == {number["a1"], number["b2"]}
    # Deferred (a5), never discussed (a1), on the agenda (b2) wait; approved (a8) and
    # concluded (a2) do not.
    assert numbers("cases.needs_joint_meeting", h) == {number[k] for k in ("a1", "a5", "b2")}
    for key in ("cases.filed", "cases.concluded", "cases.overdue", "cases.needs_joint_meeting"):
        assert REGISTRY.tiles[key].records(h).count() == measure(key, h)


def test_clearance_rate_reads_from_its_base_concluded_first(dataset, court_h):
    tile = REGISTRY.tiles["cases.clearance_rate"]
    records = list(tile.records(scope_of(court_h)))
    flags = [case.concluded_in_period for case in records]
    assert len(records) == 9  # a1 a2 a4 a5 a7 a8 b1 b2 b3: a3 closed before the period
    assert flags == [True] * 5 + [False] * 4
    with translation.override("en"):
        assert [tile.columns[-1].value(case) for case in records[4:6]] == ["Yes", "No"]
    assert Decimal(flags.count(True) * 100 / len(flags)).quantize(Decimal("0.1")) == measure(
        "cases.clearance_rate", scope_of(court_h)
    )


def test_durations_are_read_from_the_days_column(dataset, court_h):
    tile = REGISTRY.tiles["cases.duration_avg"]
    days = sorted(tile.columns[-1].value(case) for case in tile.records(scope_of(court_h)))
    assert days == [20, 30, 46, 101, 201]
    assert Decimal(sum(days)) / len(days) == measure("cases.duration_avg", scope_of(court_h))


def test_previous_period(dataset, court_a):
    # The 91 days before the first quarter of 2024: 2 October to 31 December 2023 (a1 was
    # filed on 1 October, the day before).
    scope = scope_of(court_a)
    assert scope.previous().start == D(2023, 10, 2)
    tiles = [REGISTRY.tiles[key] for key in ("cases.filed", "cases.concluded", "cases.overdue")]
    filed, concluded, overdue = evaluate(tiles, scope)
    assert (filed.value, filed.previous, filed.change) == (3, 2, 1)  # a2, a8 before
    assert (concluded.value, concluded.previous) == (3, 1)  # a3 before
    assert (overdue.previous, overdue.change) == (None, None)  # a snapshot


def test_an_empty_period(dataset, court_h):
    scope = scope_of(court_h, D(2015, 1, 1), D(2015, 12, 31))
    assert measure("cases.filed", scope) == 0
    assert measure("cases.concluded", scope) == 0
    for key in ("cases.clearance_rate", "cases.duration_avg", "cases.duration_median"):
        assert measure(key, scope) is None, key
        assert not REGISTRY.tiles[key].records(scope).exists()


def test_trend_counts_each_month_zero_filled(dataset, court_h):
    chart = REGISTRY.charts["cases.trend"].build(scope_of(court_h))
    assert chart.labels[0] == "2023-04" and chart.labels[-1] == "2024-03"
    assert len(chart.labels) == 12
    filed, concluded = (dict(zip(chart.labels, s.values, strict=True)) for s in chart.series)
    assert filed["2023-09"] == 2 and filed["2023-10"] == 1 and filed["2023-11"] == 2
    assert filed["2024-01"] == 2 and filed["2024-02"] == 1 and filed["2024-03"] == 1
    assert filed["2023-04"] == 0 and filed["2023-12"] == 0
    assert filed["2023-06"] == 1 and sum(filed.values()) == 10
    assert concluded["2023-12"] == 1 and concluded["2024-01"] == 1
    assert concluded["2024-02"] == 1 and concluded["2024-03"] == 3


def test_case_tiles_need_the_case_view_permission(staff, judge):
    keys = {tile.key for tile in REGISTRY.visible_tiles(judge)}
    assert set(EXPECTED) <= keys
    assert "cases.trend" in {chart.key for chart in REGISTRY.visible_charts(judge)}
    liaison = staff[Role.POLICE_LIAISON]
    assert not {tile.key for tile in REGISTRY.visible_tiles(liaison)} & set(EXPECTED)
