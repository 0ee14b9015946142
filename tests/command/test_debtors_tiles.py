"""The command centre's debtors and tips tiles and the list's trend, against the debtors
figures' hand-built dataset (court A) plus a listing, a deletion and tips in court B: known
figures per court and for the intermediate court over both, an empty period, the previous
period, drill-down lists that agree with the figures, and who sees which tile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from courtexec.command.figures.debtors import yes_no
from courtexec.command.selectors import evaluate
from courtexec.command.tiles import REGISTRY, Group, Scope
from courtexec.roles import Role
from debtors import rules, services
from debtors.models import Tip
from enforcement.models import EnforcementCase
from tests.debtors.test_figures import (  # the hand-built dataset of the list's figures
    END,
    MARCH,
    SHANGHAI,
    at,
    dataset,  # noqa: F401 (a fixture)
    publish,
    respondents,
)
from tests.enforcement.fixtures import CREDIT_CODE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
TODAY = dt.date(2026, 5, 6)
DEBTOR_KEYS = {
    "debtors.listings",
    "debtors.deletions_due",
    "debtors.inclusion_rate",
    "debtors.restrictions",
    "debtors.restrictions_issued",
}
TIP_KEYS = {"tips.awaiting", "tips.overdue"}


def scope(*courts, start=MARCH, end=END, today=TODAY) -> Scope:
    return Scope(frozenset(court.pk for court in courts), start, end, today)


def figure(key: str, where: Scope):
    return REGISTRY.tiles[key].measure(where)


def tip(court, received: dt.datetime, **fields) -> Tip:
    with time_machine.travel(received, tick=False):
        return services.submit_tip(court=court, debtor_name="赵某", details="一辆车", **fields)


@pytest.fixture
def court_b_too(dataset, court_b, court_h):  # noqa: F811
    """Court B's case (deadline 11 March) listed on 15 April, under the intermediate court."""
    president = UserFactory(username="b_president", court=court_b, roles=[Role.PRESIDENT])
    other = EnforcementCase.objects.get(court=court_b)
    return publish(other, respondents(other)[0], other.judge, president, dt.date(2026, 4, 15))


@pytest.fixture
def tips(court_a, court_b, case, judge):
    """Court A: one tip due today (not overdue), one overdue, one checked; court B: one
    overdue."""
    tip(court_a, dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI))
    tip(court_a, dt.datetime(2026, 4, 20, 10, tzinfo=SHANGHAI))
    checked = tip(
        court_a, dt.datetime(2026, 4, 20, 11, tzinfo=SHANGHAI), debtor_id_number=CREDIT_CODE
    )
    with time_machine.travel(dt.datetime(2026, 4, 22, 10, tzinfo=SHANGHAI), tick=False):
        services.record_tip_outcome(
            tip=checked, outcome=Tip.Outcome.NOT_CREDIBLE, note="查无此车", user=judge
        )
    tip(court_b, dt.datetime(2026, 4, 20, 10, tzinfo=SHANGHAI))


def test_figures_of_each_court_and_of_the_court_above(court_b_too, court_a, court_b, court_h):
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    assert [figure("debtors.listings", s) for s in (a, b, h)] == [3, 1, 4]
    # A: 4 past their deadline, 3 listed; B: its one, listed; both: 4 of 5.
    rates = [figure("debtors.inclusion_rate", s) for s in (a, b, h)]
    assert rates == [Decimal("75.0"), Decimal("100.0"), Decimal("80.0")]
    # A: four orders issued (three with listings, one by hand), one lifted; B: one with its listing.
    assert [figure("debtors.restrictions", s) for s in (a, b, h)] == [3, 1, 4]
    assert [figure("debtors.restrictions_issued", s) for s in (a, b, h)] == [4, 1, 5]


def test_deletions_due(court_b_too, court_a, court_b, court_h, dataset, judge):  # noqa: F811
    """Case 1's two entries and court B's (two years from publication) expire by 30 April 2028;
    one of case 1's is then deleted."""
    assert services.raise_deletion_tasks(today=dt.date(2028, 4, 30)) == 3
    later = dict(start=dt.date(2028, 4, 1), end=dt.date(2028, 4, 30), today=dt.date(2028, 5, 2))
    a, h = scope(court_a, **later), scope(court_h, court_a, court_b, **later)
    assert (figure("debtors.deletions_due", a), figure("debtors.deletions_due", h)) == (2, 3)
    entry = REGISTRY.tiles["debtors.deletions_due"].records(a).first().entry
    with at(dt.date(2028, 5, 2)):
        services.delete_listing(
            entry=entry, ground=rules.DeletionGround.PERIOD_EXPIRED, arose_on=entry.ends_on,
            user=judge,
        )  # fmt: skip
    assert (figure("debtors.deletions_due", a), figure("debtors.deletions_due", h)) == (1, 2)
    row = REGISTRY.tiles["debtors.deletions_due"].columns
    task = REGISTRY.tiles["debtors.deletions_due"].records(a).get()
    assert [column.value(task) for column in row][-1] == yes_no(True)  # due before 2 May 2028


def test_tips(tips, court_a, court_b, court_h):
    a, b, h = scope(court_a), scope(court_b), scope(court_h, court_a, court_b)
    assert [figure("tips.awaiting", s) for s in (a, b, h)] == [2, 1, 3]
    assert [figure("tips.overdue", s) for s in (a, b, h)] == [1, 1, 2]
    # The tip due today is overdue tomorrow.
    assert figure("tips.overdue", scope(court_a, today=TODAY + dt.timedelta(days=1))) == 2


def test_an_empty_period(court_b_too, court_a, court_b, court_h):
    empty = scope(court_h, court_a, court_b, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28))
    assert figure("debtors.listings", empty) == 0
    assert figure("debtors.restrictions_issued", empty) == 0
    assert figure("debtors.inclusion_rate", empty) is None
    assert not REGISTRY.tiles["debtors.inclusion_rate"].records(empty).exists()
    chart = REGISTRY.charts["debtors.trend"].build(empty)
    assert [sum(series.values) for series in chart.series] == [0, 0]


def test_the_previous_period(court_b_too, court_a):
    """April against 2–31 March: listings 1 against 2, inclusion 100 % against 2 of 3."""
    tiles = [REGISTRY.tiles[key] for key in ("debtors.listings", "debtors.inclusion_rate")]
    listings, rate = evaluate(tiles, scope(court_a, start=APRIL[0], end=APRIL[1]))
    assert (listings.value, listings.previous, listings.change) == (1, 2, -1)
    assert (rate.value, rate.previous) == (Decimal("100.0"), Decimal("66.7"))
    restrictions = evaluate([REGISTRY.tiles["debtors.restrictions"]], scope(court_a))[0]
    assert restrictions.previous is None  # a snapshot


def test_drill_downs_agree_with_the_figures(
    court_b_too, tips, court_a, court_b, court_h, django_assert_max_num_queries
):
    h = scope(court_h, court_a, court_b)
    for key in DEBTOR_KEYS | TIP_KEYS:
        tile = REGISTRY.tiles[key]
        with django_assert_max_num_queries(1):  # every column read without a query per row
            rows = [[column.value(r) for column in tile.columns] for r in tile.records(h)]
        if key == "debtors.inclusion_rate":
            listed = [row[-1] for row in rows]
            assert (len(listed), listed.count(yes_no(True))) == (5, 4)  # 4 ÷ 5 = 80.0 %
        else:
            assert len(rows) == tile.measure(h), key
    listing = REGISTRY.tiles["debtors.listings"]
    entry = listing.records(h).first()
    assert listing.columns[0].link(entry).endswith(f"/{entry.case.pk}/?tab=blacklist#blacklist")
    assert listing.columns[4].value(entry) == timezone.localdate(entry.published_at)


def test_the_trend(court_b_too, court_a, court_b, court_h):
    chart = REGISTRY.charts["debtors.trend"].build(scope(court_h, court_a, court_b))
    assert len(chart.labels) == 12 and chart.labels[-2:] == ["2026-03", "2026-04"]
    listings, deletions = chart.series
    assert listings.values[-2:] == [2, 2] and sum(listings.values) == 4
    assert deletions.values[-2:] == [0, 1] and sum(deletions.values) == 1
    only_b = REGISTRY.charts["debtors.trend"].build(scope(court_b))
    assert only_b.series[0].values[-2:] == [0, 1]


def test_who_sees_which_tile(staff, court_h):
    for role, user in staff.items():
        if role == "ticket_clerk":
            continue
        visible = {tile.key for tile in REGISTRY.visible_tiles(user)}
        for key in DEBTOR_KEYS | TIP_KEYS:
            tile = REGISTRY.tiles[key]
            shown = user.has_perm("command.view_command_centre") and user.has_perm(tile.permission)
            assert (key in visible) == shown, (role, key)
    judge, finance = staff[Role.JUDGE], staff[Role.FINANCE]
    assert {tile.key for tile in REGISTRY.visible_tiles(judge)} >= DEBTOR_KEYS
    # A finance officer sees the command centre but not the list, nor its trend.
    assert not {t.key for t in REGISTRY.visible_tiles(finance)} & (DEBTOR_KEYS | TIP_KEYS)
    assert "debtors.trend" not in {chart.key for chart in REGISTRY.visible_charts(finance)}
    # A police liaison has no command centre at all.
    assert not REGISTRY.visible_tiles(staff[Role.POLICE_LIAISON])
    groups = {REGISTRY.tiles[key].group for key in TIP_KEYS}
    assert groups == {Group.TIPS}
