"""Idle-money tiers, payout step lamps and overdue suspense; time-machine moves the clock."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from casefunds import ledger, services
from casefunds.models import Account, FundsAlert, Hold
from casefunds.selectors import ledger_drift, overdue_suspense
from courtexec.models import Notification
from courtexec.roles import Role
from tests.casefunds.conftest import deposit
from tests.casefunds.flows import ensure_tiers, pay, propose

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def tiers(db):
    return {t.days: t for t in ensure_tiers()}


def day(clock, n: int, hours: int = 0) -> None:
    clock.move_to(T0 + dt.timedelta(days=n, hours=hours))


def idle_alerts(account: Account, **filters):
    return FundsAlert.objects.filter(account=account, kind=FundsAlert.Kind.IDLE, **filters)


def idle_notes(user) -> int:
    return Notification.objects.filter(recipient=user, kind="funds.idle").count()


def test_tiers_rise_once_each_and_stay_through_a_partial_payout(
    clock, tiers, bank_channel, case, sub_account, judge, chief, finance, staff
):
    deposit(bank_channel, sub_account, 100_000, "I-1")
    day(clock, 14)
    assert services.scan_idle_money().raised == 0
    day(clock, 15)
    assert services.scan_idle_money().raised == 1
    (alert,) = idle_alerts(sub_account)
    assert (alert.tier, alert.episode_start, alert.amount) == (tiers[15], T0, 100_000)
    assert idle_notes(judge) == 1
    day(clock, 15, hours=6)
    assert services.scan_idle_money().raised == 0  # the same day again
    assert idle_alerts(sub_account).count() == 1 and idle_notes(judge) == 1
    day(clock, 31)
    assert services.scan_idle_money().raised == 1
    assert {a.tier.days for a in idle_alerts(sub_account, cleared_at=None)} == {15, 30}
    assert idle_notes(staff[Role.SECTION_CHIEF]) == 1
    pay(case, judge, chief, finance, sub_account, 40_000)  # partial: still holding money
    day(clock, 32)
    assert services.scan_idle_money().cleared == 0
    assert idle_alerts(sub_account, cleared_at=None).count() == 2
    # Paying the rest clears the episode's alerts at once (the payout's paid path) ...
    pay(case, judge, chief, finance, sub_account, 60_000)
    assert idle_alerts(sub_account, cleared_at=None).count() == 0
    assert services.scan_idle_money().cleared == 0
    # ... and new money is a new episode, with its tiers raised again when due.
    day(clock, 40)
    deposit(bank_channel, sub_account, 5_000, "I-2")
    day(clock, 54)
    assert services.scan_idle_money().raised == 0
    day(clock, 55)
    assert services.scan_idle_money().raised == 1
    new = idle_alerts(sub_account, cleared_at=None).get()
    assert (new.tier.days, new.episode_start) == (15, T0 + dt.timedelta(days=40))
    assert idle_alerts(sub_account).count() == 3
    assert ledger_drift() == []


def test_money_leaving_otherwise_is_cleared_by_the_next_scan(
    clock, tiers, bank_channel, sub_account
):
    deposit(bank_channel, sub_account, 8_000, "I-3")
    day(clock, 16)
    assert services.scan_idle_money().raised == 1
    escrow = ledger.court_account(sub_account.court, Account.Kind.ESCROW)
    ledger.move(source=sub_account, target=escrow, amount=8_000, code="escrow")  # no service
    assert idle_alerts(sub_account, cleared_at=None).count() == 1
    assert services.scan_idle_money().cleared == 1
    assert idle_alerts(sub_account, cleared_at=None).count() == 0


def test_an_approved_deferral_suppresses_until_it_ends(
    clock, tiers, bank_channel, sub_account, judge, chief
):
    deposit(bank_channel, sub_account, 9_000, "I-4")
    hold = services.request_hold(
        account=sub_account, kind=Hold.Kind.DEFERRAL, reason="several_creditors",
        details="参与分配", user=judge, until=(T0 + dt.timedelta(days=35)).date(),
    )  # fmt: skip
    day(clock, 16)
    assert services.scan_idle_money().raised == 1  # requested, not yet approved
    services.decide_hold(hold=hold, approve=True, user=chief)
    day(clock, 31)
    assert services.scan_idle_money().raised == 0
    day(clock, 35)
    assert services.scan_idle_money().raised == 0  # the last deferred day
    day(clock, 36)
    assert services.scan_idle_money().raised == 1
    assert {a.tier.days for a in idle_alerts(sub_account)} == {15, 30}


def test_refused_deferral_does_not_suppress(clock, tiers, bank_channel, sub_account, judge, chief):
    deposit(bank_channel, sub_account, 9_000, "I-5")
    hold = services.request_hold(
        account=sub_account, kind=Hold.Kind.DEFERRAL, reason="case_stayed",
        details="中止执行", user=judge, until=(T0 + dt.timedelta(days=60)).date(),
    )  # fmt: skip
    services.decide_hold(hold=hold, approve=False, user=chief)
    day(clock, 15)
    assert services.scan_idle_money().raised == 1


def test_payout_step_lamp_once_per_state_and_cleared_when_it_moves_on(
    clock, tiers, bank_channel, case, sub_account, judge, chief, finance
):
    deposit(bank_channel, sub_account, 20_000, "Y-1")
    payout = propose(case, judge, sub_account, 20_000)
    day(clock, 0, hours=47)
    assert services.scan_idle_money().step_raised == 0
    day(clock, 0, hours=49)
    assert services.scan_idle_money().step_raised == 1
    assert services.scan_idle_money().step_raised == 0  # once per state
    lamp = FundsAlert.objects.get(kind=FundsAlert.Kind.STEP, payout=payout)
    assert (lamp.payout_status, lamp.cleared_at) == ("draft", None)
    services.approve_payout(payout=payout, user=chief)
    result = services.scan_idle_money()
    assert (result.step_cleared, result.step_raised) == (1, 0)
    day(clock, 3, hours=3)  # 26 hours after the approval (at hour 49)
    assert services.scan_idle_money().step_raised == 1
    lamps = FundsAlert.objects.filter(kind=FundsAlert.Kind.STEP, payout=payout)
    assert sorted(lamps.values_list("payout_status", flat=True)) == ["approved", "draft"]
    services.review_payout(payout=payout, user=finance)
    services.send_payout(payout.pk)
    assert services.scan_idle_money().step_cleared == 1
    assert not lamps.filter(cleared_at=None).exists()


def test_suspense_older_than_three_days_is_flagged(clock, bank_channel, sub_account, finance):
    suspense_deposit = deposit(bank_channel, Account(virtual_number=""), 3_000, "U-1")
    day(clock, 1)
    deposit(bank_channel, Account(virtual_number=""), 4_000, "U-2")
    day(clock, 3)
    assert list(overdue_suspense()) == []
    day(clock, 3, hours=1)
    assert list(overdue_suspense()) == [suspense_deposit]
    day(clock, 5)
    assert [d.reference for d in overdue_suspense()] == ["U-1", "U-2"]
    services.assign_suspense(
        deposit=suspense_deposit, case_account=sub_account, reason="认领", user=finance
    )
    assert [d.reference for d in overdue_suspense()] == ["U-2"]
