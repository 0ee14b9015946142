"""The command centre's funds tiles on a hand-built ledger with known answers.

Courts A and B under the intermediate court H. Money is booked and paid through casefunds'
services (bank notices, suspense assignment, the payout chain with the sandbox bank).

Court A's case: ¥1,000 arrived 40 days ago (before the period), ¥2,000 10 days ago, ¥300 came
through suspense (arrived 5 days ago, assigned today), ¥500 still sits in suspense; ¥1,500 paid
today (40 days after the first arrival). The remaining ¥1,800 has idled 70 days (tier 60).
Court B's case: ¥1,000 arrived 3 days ago; ¥700 paid today (3 days); ¥300 idled 20 days (tier 15).
The period is the last 30 days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from casefunds import services as funds
from casefunds.models import Account, Channel, Deposit
from courtexec.command.selectors import scope_for, tile_figures
from courtexec.command.tiles import REGISTRY, Scope
from courtexec.roles import Role
from enforcement import services
from enforcement.models import Party
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import ensure_tiers, pay
from tests.enforcement.fixtures import CREDIT_CODE, PERSON_ID_2, file_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FUNDS_TILES = [
    "funds.received",
    "funds.paid",
    "funds.idle",
    "funds.payout_median",
    "funds.payout_p90",
    "funds.payout_within_30",
]


def _sub_account(case) -> Account:
    return Account.objects.get(case=case, kind=Account.Kind.CASE)


def _channel(court, code: str) -> Channel:
    return Channel.objects.create(court=court, kind=Channel.Kind.BANK, code=code, name=code)


def _idle_since(account: Account, days: int) -> None:
    since = timezone.now() - dt.timedelta(days=days)
    Account.objects.filter(pk=account.pk).update(funded_since=since, next_alert_at=since)


@pytest.fixture
def funds_data(court_h, court_a, court_b, staff, applicant, respondent):
    ensure_tiers()
    now = timezone.now()
    today = timezone.localdate()

    judge_a, chief_a, finance_a = (staff[r] for r in (Role.JUDGE, Role.BUREAU_CHIEF, Role.FINANCE))
    case_a = file_case(court_a, judge_a, applicant, respondent)
    channel_a = _channel(court_a, "bank-a")
    account_a = _sub_account(case_a)
    deposit(channel_a, account_a, 100_000, "A-1", at=now - dt.timedelta(days=40))
    deposit(channel_a, account_a, 200_000, "A-2", at=now - dt.timedelta(days=10))
    stray = deposit(channel_a, Account(virtual_number=""), 30_000, "A-S1", at=now)
    Deposit.objects.filter(pk=stray.pk).update(received_at=now - dt.timedelta(days=5))
    funds.assign_suspense(
        deposit=stray, case_account=account_a, reason="付款人来电确认", user=finance_a
    )
    deposit(channel_a, Account(virtual_number=""), 50_000, "A-S2", at=now)  # still in suspense
    paid_a = pay(case_a, judge_a, chief_a, finance_a, account_a, 150_000)

    def person_in_b(role: Role, name: str):
        return UserFactory(username=f"fund_b_{name}", court=court_b, roles=[role])

    judge_b = person_in_b(Role.JUDGE, "judge")
    chief_b = person_in_b(Role.BUREAU_CHIEF, "chief")
    finance_b = person_in_b(Role.FINANCE, "finance")
    applicant_b = services.register_party(
        court=court_b, kind=Party.Kind.PERSON, name="赵六", id_number=PERSON_ID_2
    )
    respondent_b = services.register_party(
        court=court_b, kind=Party.Kind.ORGANISATION, name="宁波某某公司", id_number=CREDIT_CODE
    )
    case_b = file_case(
        court_b, judge_b, applicant_b, respondent_b, issuing_body="杭州市西湖区人民法院"
    )
    account_b = _sub_account(case_b)
    deposit(_channel(court_b, "bank-b"), account_b, 100_000, "B-1", at=now - dt.timedelta(days=3))
    paid_b = pay(case_b, judge_b, chief_b, finance_b, account_b, 70_000)

    _idle_since(account_a, 70)
    _idle_since(account_b, 20)
    funds.scan_idle_money()
    return SimpleNamespace(
        today=today,
        start=today - dt.timedelta(days=30),
        case_a=case_a,
        case_b=case_b,
        paid_a=paid_a,
        paid_b=paid_b,
        judge_a=judge_a,
    )


def all_courts(data) -> list[int]:
    """H and the courts below it."""
    return [data.case_a.court.parent_id, data.case_a.court_id, data.case_b.court_id]


def scope_of(data, court_ids, start=None, end=None) -> Scope:
    return Scope(frozenset(court_ids), start or data.start, end or data.today, data.today)


def measure(key: str, scope: Scope):
    return REGISTRY.tiles[key].measure(scope)


def test_money_received_counts_case_money_only_when_booked_to_the_case(
    funds_data, court_a, court_b
):
    a = scope_of(funds_data, [court_a.pk])
    # ¥2,000 credited and ¥300 assigned from suspense in the period; the ¥1,000 of 40 days
    # ago is before it and the ¥500 in suspense belongs to no case.
    assert measure("funds.received", a) == 230_000
    assert measure("funds.received", scope_of(funds_data, [court_b.pk])) == 100_000
    records = list(REGISTRY.tiles["funds.received"].records(a))
    assert [d.reference for d in records] == ["A-2", "A-S1"]
    assert sum(d.amount for d in records) == 230_000
    assert {d.status for d in records} == {Deposit.Status.CREDITED, Deposit.Status.ASSIGNED}


def test_money_paid_and_the_intermediate_court_sums_a_and_b(funds_data, president_h, court_h):
    start, end = funds_data.start, funds_data.today
    h = scope_for(president_h, court_h, start, end, funds_data.today)
    assert {funds_data.case_a.court_id, funds_data.case_b.court_id} <= h.court_ids
    assert measure("funds.received", h) == 330_000
    assert measure("funds.paid", h) == 220_000
    records = list(REGISTRY.tiles["funds.paid"].records(h))
    assert [p.pk for p in records] == sorted([funds_data.paid_a.pk, funds_data.paid_b.pk])
    assert sum(p.amount for p in records) == 220_000


def test_arrival_to_payout_figures(funds_data, court_a):
    h = scope_of(funds_data, all_courts(funds_data))
    # Days from arrival to payout: 40 (A: the first deposit of the episode) and 3 (B).
    assert measure("funds.payout_median", h) == Decimal("21.5")
    assert measure("funds.payout_p90", h) == Decimal("36.3")
    assert measure("funds.payout_within_30", h) == Decimal("50.0")
    records = list(REGISTRY.tiles["funds.payout_median"].records(h))
    assert len(records) == 2
    assert sorted(round(p.days) for p in records) == [3, 40]
    assert {timezone.localdate(p.arrival) for p in records} == {
        funds_data.today - dt.timedelta(days=40),
        funds_data.today - dt.timedelta(days=3),
    }
    a = scope_of(funds_data, [court_a.pk])
    assert measure("funds.payout_median", a) == Decimal("40.0")
    assert measure("funds.payout_within_30", a) == Decimal("0.0")


def test_idle_money_by_highest_tier(funds_data, court_a):
    h = scope_of(funds_data, all_courts(funds_data))
    tile = REGISTRY.tiles["funds.idle"]
    assert tile.snapshot and tile.alert
    assert measure("funds.idle", h) == 180_000 + 30_000
    parts = tile.breakdown(h)
    assert [(str(p.label), p.value, p.amount, p.colour) for p in parts] == [
        ("15日提示", 1, 30_000, "info"),
        ("30日超期", 0, 0, "warning"),
        ("60日严重超期", 1, 180_000, "orange"),  # A reached 15, 30 and 60: counted at 60
        ("90日重大超期", 0, 0, "danger"),
    ]
    records = list(tile.records(h))
    assert [(r.case_id, r.tier_label, r.held) for r in records] == [
        (funds_data.case_a.pk, "60日严重超期", 180_000),
        (funds_data.case_b.pk, "15日提示", 30_000),
    ]
    with translation.override("en"):
        values = {str(column.header): column.value(records[0]) for column in tile.columns}
    assert values["Tier"] == "60日严重超期" and values["Balance"] == 180_000
    only_a = scope_of(funds_data, [court_a.pk])
    assert measure("funds.idle", only_a) == 180_000


def test_an_empty_period(funds_data):
    empty = scope_of(funds_data, all_courts(funds_data), dt.date(2001, 1, 1), dt.date(2001, 1, 31))
    assert measure("funds.received", empty) == 0
    assert measure("funds.paid", empty) == 0
    assert measure("funds.payout_median", empty) is None
    assert measure("funds.payout_p90", empty) is None
    assert measure("funds.payout_within_30", empty) is None
    assert not REGISTRY.tiles["funds.payout_median"].records(empty).exists()


def test_trend_per_month(funds_data):
    h = scope_of(funds_data, all_courts(funds_data))
    data = REGISTRY.charts["funds.trend"].build(h)
    assert len(data.labels) == 12 and data.labels[-1] == funds_data.today.strftime("%Y-%m")
    received, paid = data.series
    assert sum(received.values) == 430_000  # every booking to a case, in the 12 months
    assert paid.values[-1] == 220_000 and sum(paid.values) == 220_000
    month_of_a1 = (funds_data.today - dt.timedelta(days=40)).strftime("%Y-%m")
    assert received.values[data.labels.index(month_of_a1)] >= 100_000


def test_previous_period_and_who_sees_funds_tiles(funds_data, president_h, court_a):
    figures = {f.tile.key: f for f in tile_figures(president_h, scope_of(funds_data, [court_a.pk]))}
    assert set(FUNDS_TILES) <= set(figures)
    # The ¥1,000 of 40 days ago falls in the previous 31 days.
    assert figures["funds.received"].previous == 100_000
    assert figures["funds.received"].change == 130_000
    assert figures["funds.idle"].previous is None  # a snapshot
    police = UserFactory(username="fund_police", court=court_a, roles=[Role.JUDICIAL_POLICE])
    assert police.has_perm("command.view_command_centre")
    assert not {t.key for t in REGISTRY.visible_tiles(police)} & set(FUNDS_TILES)
    assert "funds.trend" not in {c.key for c in REGISTRY.visible_charts(police)}
    judge = funds_data.judge_a
    assert set(FUNDS_TILES) <= {t.key for t in REGISTRY.visible_tiles(judge)}
