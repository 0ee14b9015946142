"""Freezes and seizures: legal ends per asset class, renewal, expiry, deductions booked once,
renewal reminders once per lead time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casefunds.models import Account, Channel, Deposit
from courtexec.models import Notification
from courtexec.roles import Role
from debtors import banks, selectors, services, tasks
from debtors.models import (
    AssetClass,
    Deduction,
    Finding,
    Freeze,
    RenewalReminder,
    Search,
    legal_end,
)
from tests.debtors.conftest import START, respondent_of, today

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asset_class", "end"),
    [
        (AssetClass.BANK_DEPOSIT, dt.date(2027, 3, 1)),
        (AssetClass.ONLINE_PAYMENT, dt.date(2027, 3, 1)),
        (AssetClass.HOUSING_FUND, dt.date(2027, 3, 1)),
        (AssetClass.VEHICLE, dt.date(2028, 3, 1)),
        (AssetClass.SHIP, dt.date(2028, 3, 1)),
        (AssetClass.REAL_ESTATE, dt.date(2029, 3, 1)),
        (AssetClass.SECURITIES, dt.date(2029, 3, 1)),
    ],
)
def test_legal_end_by_asset_class(asset_class, end):
    assert legal_end(asset_class, dt.date(2026, 3, 2)) == end


def test_legal_end_of_a_leap_day():
    assert legal_end(AssetClass.BANK_DEPOSIT, dt.date(2028, 2, 29)) == dt.date(2029, 2, 27)


def make_finding(case, investigator, asset_class) -> Finding:
    search = Search.objects.create(
        court=case.court,
        party=respondent_of(case).party,
        asset_class=asset_class,
        performed_by=investigator,
        case_number=case.number,
    )
    return Finding.objects.create(
        search=search,
        asset_class=asset_class,
        institution="杭州市不动产登记中心",
        identifier="浙(2015)杭州市不动产权第0001号",
        value=300_000_00,
    )


def test_freeze_runs_the_legal_period_and_renewal_extends_it(
    case, judge, investigator, bank_finding
):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    assert freeze.from_date == today() == dt.date(2026, 3, 2)
    assert freeze.to_date == dt.date(2027, 3, 1)
    assert freeze.amount == bank_finding.value
    assert freeze.bank_reference
    bank_finding.refresh_from_db()
    assert bank_finding.status == Finding.Status.FROZEN
    with pytest.raises(ValidationError):  # frozen once
        services.freeze(finding=bank_finding, case=case, user=judge)

    renewal = services.renew_freeze(freeze=freeze, user=investigator)
    freeze.refresh_from_db()
    assert (renewal.previous_to, renewal.new_to) == (dt.date(2027, 3, 1), dt.date(2028, 3, 1))
    assert freeze.to_date == dt.date(2028, 3, 1)


def test_seizure_of_real_estate_runs_three_years(case, judge, investigator, travel):
    finding = make_finding(case, investigator, AssetClass.REAL_ESTATE)
    seizure = services.freeze(finding=finding, case=case, user=judge, kind=Freeze.Kind.SEIZURE)
    assert seizure.to_date == dt.date(2029, 3, 1)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.SEIZED
    renewal = services.renew_freeze(freeze=seizure, user=judge)
    assert renewal.new_to == dt.date(2032, 3, 1)


def test_expired_freeze_cannot_be_renewed(case, judge, bank_finding, travel):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    travel.move_to(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))  # last day: still live
    assert not freeze.expired
    assert list(selectors.expiring(within_days=0)) == [freeze]
    travel.move_to(dt.datetime(2027, 3, 2, 12, tzinfo=dt.UTC))
    assert freeze.expired
    assert list(selectors.expired()) == [freeze]
    assert list(selectors.expiring(within_days=30)) == []
    with pytest.raises(ValidationError):
        services.renew_freeze(freeze=freeze, user=judge)


def test_expiring_selector_window(case, judge, bank_finding, travel):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    assert list(selectors.expiring(within_days=30)) == []
    travel.move_to(dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC))
    assert list(selectors.expiring(court=case.court, within_days=30)) == [freeze]
    assert list(selectors.expiring(within_days=7)) == []


def test_release_unfreezes(case, judge, bank_finding):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    services.release_freeze(freeze=freeze, user=judge)
    freeze.refresh_from_db()
    bank_finding.refresh_from_db()
    assert freeze.released_on == today()
    assert bank_finding.status == Finding.Status.RELEASED
    assert list(selectors.expiring(within_days=400)) == []


def test_deduction_books_one_deposit_on_the_sub_account_even_if_answered_twice(
    case, judge, bank_finding
):
    sub_account = Account.objects.get(payer=respondent_of(case), kind=Account.Kind.CASE)
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    result = services.deduct(freeze=freeze, amount=freeze.amount, user=judge)
    assert result.created
    deposit = result.deduction.deposit
    assert deposit.amount == freeze.amount
    assert deposit.account_id == sub_account.pk
    assert deposit.channel.kind == Channel.Kind.DEDUCTION
    assert deposit.channel.court == case.court
    assert deposit.reference == result.deduction.bank_reference

    # The bank's answer arrives again (retry, duplicate message): nothing is booked twice.
    answer = banks.DeductionAnswer(
        reference=result.deduction.bank_reference,
        account=bank_finding.identifier,
        amount=freeze.amount,
        at=result.deduction.deducted_at,
    )
    again = services.apply_deduction_answer(freeze=freeze, answer=answer, user=judge)
    assert not again.created
    assert again.deduction == result.deduction
    # The same order given again: the sandbox answers with the same reference.
    repeat = services.deduct(freeze=freeze, amount=freeze.amount, user=judge)
    assert not repeat.created
    assert repeat.deduction == result.deduction
    bank_finding.refresh_from_db()
    assert bank_finding.status == Finding.Status.DEDUCTED
    assert Deposit.objects.count() == 1
    assert Deduction.objects.count() == 1
    assert Channel.objects.filter(kind=Channel.Kind.DEDUCTION).count() == 1
    sub_account.refresh_from_db()
    assert sub_account.credits_posted == freeze.amount


def test_the_same_answer_through_the_funds_path_is_not_booked_twice(case, judge, bank_finding):
    """Even if the deduction row were missing, casefunds dedupes the bank reference."""
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    result = services.deduct(freeze=freeze, amount=100_00, user=judge)
    Deduction.objects.filter(pk=result.deduction.pk).delete()
    answer = banks.DeductionAnswer(
        result.deduction.bank_reference,
        bank_finding.identifier,
        100_00,
        result.deduction.deducted_at,
    )
    again = services.apply_deduction_answer(freeze=freeze, answer=answer, user=judge)
    assert again.deduction.deposit == result.deduction.deposit
    assert Deposit.objects.count() == 1


def test_deduction_limits(case, judge, bank_finding, staff):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    with pytest.raises(ValidationError):
        services.deduct(freeze=freeze, amount=freeze.amount + 1, user=judge)
    with pytest.raises(PermissionDenied):
        services.deduct(freeze=freeze, amount=1, user=staff[Role.FINANCE])


def test_other_court_cannot_freeze_or_deduct(case, judge, judge_b, bank_finding):
    with pytest.raises(PermissionDenied):
        services.freeze(finding=bank_finding, case=case, user=judge_b)
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    for action in (
        lambda: services.deduct(freeze=freeze, amount=1, user=judge_b),
        lambda: services.renew_freeze(freeze=freeze, user=judge_b),
        lambda: services.release_freeze(freeze=freeze, user=judge_b),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_reminders_once_per_lead_time(case, judge, investigators, bank_finding, travel):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)  # ends 2027-03-01
    recipients = {judge.pk, *(i.pk for i in investigators)}

    def reminders():
        return list(
            RenewalReminder.objects.filter(freeze=freeze)
            .order_by("lead_days")
            .values_list("lead_days", flat=True)
        )

    travel.move_to(dt.datetime(2027, 1, 29, 1, tzinfo=dt.UTC))  # 31 days before: nothing yet
    assert tasks.raise_renewal_reminders() == 0
    travel.move_to(dt.datetime(2027, 1, 30, 1, tzinfo=dt.UTC))  # 30 days before
    assert tasks.raise_renewal_reminders() == 1
    assert tasks.raise_renewal_reminders() == 0  # the job runs twice: nothing new
    assert reminders() == [30]

    def notes():
        return Notification.objects.filter(kind="debtors.freeze_renewal")

    assert {n.recipient_id for n in notes()} == recipients
    assert notes().count() == len(recipients)

    travel.move_to(dt.datetime(2027, 2, 10, 1, tzinfo=dt.UTC))
    assert tasks.raise_renewal_reminders() == 0
    travel.move_to(dt.datetime(2027, 2, 22, 1, tzinfo=dt.UTC))  # 7 days before
    assert tasks.raise_renewal_reminders() == 1
    assert tasks.raise_renewal_reminders() == 0
    assert reminders() == [7, 30]
    assert notes().count() == 2 * len(recipients)

    # Renewed: the new end date gets its own reminders in due time.
    services.renew_freeze(freeze=freeze, user=judge)
    assert tasks.raise_renewal_reminders() == 0
    travel.move_to(dt.datetime(2028, 1, 31, 1, tzinfo=dt.UTC))  # 30 days before 2028-03-01
    assert tasks.raise_renewal_reminders() == 1
    assert reminders() == [7, 30, 30]


def test_released_freeze_is_not_reminded(case, judge, bank_finding, travel):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    services.release_freeze(freeze=freeze, user=judge)
    travel.move_to(dt.datetime(2027, 2, 22, 1, tzinfo=dt.UTC))
    assert services.raise_renewal_reminders().raised == 0


def test_reminder_job_is_scheduled_and_roles_granted(staff):
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="debtors.raise_renewal_reminders").exists()
    assert staff[Role.INVESTIGATOR].has_perm("debtors.add_search")
    assert not staff[Role.JUDGE].has_perm("debtors.add_search")
    assert staff[Role.JUDGE].has_perm("debtors.add_investigationrequest")
    assert not staff[Role.FINANCE].has_perm("debtors.add_freeze")


def test_start_is_a_monday_morning_in_shanghai():
    assert START.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2026, 3, 2)


def test_changes_leave_a_trail_naming_the_officer(case, judge, investigator, bank_finding):
    freeze = services.freeze(finding=bank_finding, case=case, user=judge)
    services.renew_freeze(freeze=freeze, user=investigator)
    trail = list(freeze.history.order_by("history_id").values_list("history_user", "to_date"))
    assert trail == [(judge.pk, dt.date(2027, 3, 1)), (investigator.pk, dt.date(2028, 3, 1))]
    assert bank_finding.history.filter(history_user=investigator).exists()  # the search
    assert bank_finding.history.filter(history_user=judge, status=Finding.Status.FROZEN).exists()
