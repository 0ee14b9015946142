"""Stock checks (盘点): expected vs counted, discrepancies, who may count, the reminder once per
due period; the long-custody alert once, also through a real Celery worker."""

from __future__ import annotations

import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import PermissionDenied, ValidationError

from courtexec.celery import app
from courtexec.models import Notification
from courtexec.roles import Role
from tests.factories import UserFactory
from tests.vehicles.conftest import VALID_VIN_2, local
from tests.vehicles.fee_fixtures import kept
from vehicles import selectors, services
from vehicles.models import CustodyEvent, Impound, Vehicle

pytest_plugins = ["tests.vehicles.fee_fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def two_kept(vehicle, case, judge, custodian, lot, agreements, respondent, court_a):
    other = Vehicle.objects.create(court=court_a, plate="浙B54321", vin=VALID_VIN_2,
                                   owner=respondent, registered_by=judge)  # fmt: skip
    return [
        kept(vehicle, case, judge, custodian, lot, towed=local(2026, 2, 1, 9),
             intake=local(2026, 2, 1, 10)),
        kept(other, case, judge, custodian, lot, towed=local(2026, 2, 2, 9),
             intake=local(2026, 2, 2, 10)),
    ]  # fmt: skip


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_discrepancies_missing_and_unexpected(two_kept, lot, custodian_user):
    first, second = two_kept
    with time_machine.travel(local(2026, 3, 1, 12), tick=False):
        check = services.record_stock_check(
            lot=lot, checked_at=local(2026, 3, 1, 11),
            found={first.pk: services.Found(True), second.pk: services.Found(False, "车位空")},
            unexpected_plates=["浙 c 1234５", ""], notes="月度盘点", user=custodian_user,
        )  # fmt: skip
    assert (check.expected, check.counted) == (2, 2)
    assert check.unexpected_plates == ["浙C12345"]  # normalised (full-width, case, spaces)
    assert check.discrepancies == 2
    assert [(line.impound_id, line.present, line.note) for line in check.lines.all()] == [
        (first.pk, True, ""), (second.pk, False, "车位空"),
    ]  # fmt: skip
    assert CustodyEvent.objects.filter(kind="stock_checked").count() == 1


def test_expected_is_what_the_records_held_at_that_time(two_kept, lot, judge):
    first, _second = two_kept
    with time_machine.travel(local(2026, 3, 1, 12), tick=False):
        check = services.record_stock_check(
            lot=lot, checked_at=local(2026, 2, 1, 18), found={first.pk: services.Found(True)},
            unexpected_plates=[], notes="", user=judge,
        )  # fmt: skip
        assert (check.expected, check.counted, check.discrepancies) == (1, 1, 0)
        with pytest.raises(ValidationError) as stray:
            services.record_stock_check(
                lot=lot, checked_at=local(2026, 2, 1, 18), found={_second.pk: services.Found(True)},
                unexpected_plates=[], notes="", user=judge,
            )  # fmt: skip
        assert stray.value.error_dict["found"][0].code == "not_expected"


def test_another_custodians_user_may_not_count(lot, court_a):
    outsider = UserFactory(username="outsider", court=court_a, roles=[Role.CUSTODIAN])
    with pytest.raises(PermissionDenied):
        services.record_stock_check(lot=lot, checked_at=local(2026, 3, 1), found={},
                                    unexpected_plates=[], notes="", user=outsider)  # fmt: skip
    assert selectors.visible_lots(outsider).count() == 0
    assert selectors.visible_stock_checks(outsider).count() == 0


def test_custodian_sees_own_lots_with_occupancy(two_kept, lot, custodian_user, staff):
    [found] = selectors.visible_lots(custodian_user)
    assert (found, found.occupancy, found.capacity) == (lot, 2, 3)
    assert selectors.visible_lots(staff[Role.JUDGE]).get().occupancy == 2


def test_stock_check_reminder_once_per_due_period(lot, custodian_user, staff, settings, judge):
    settings.VEHICLES_STOCK_CHECK_DAYS = 30
    chief = staff[Role.SECTION_CHIEF]
    assert services.remind_stock_checks(local(2026, 3, 1, 6)) == 1  # never counted
    assert services.remind_stock_checks(local(2026, 3, 2, 6)) == 0
    assert kinds(custodian_user) == ["vehicles.stock_check_due"]
    assert kinds(chief) == ["vehicles.stock_check_due"]
    with time_machine.travel(local(2026, 3, 5, 12), tick=False):
        services.record_stock_check(lot=lot, checked_at=local(2026, 3, 5, 10), found={},
                                    unexpected_plates=[], notes="", user=judge)  # fmt: skip
    assert services.remind_stock_checks(local(2026, 4, 3, 6)) == 0  # 29 days after the count
    assert services.remind_stock_checks(local(2026, 4, 4, 11)) == 1
    assert services.remind_stock_checks(local(2026, 4, 20, 6)) == 0
    assert services.remind_stock_checks(local(2026, 5, 4, 12)) == 1  # another period, no count
    assert kinds(chief).count("vehicles.stock_check_due") == 3


def test_long_custody_alert_once_and_not_after_a_decision(two_kept, staff, judge, settings):
    settings.VEHICLES_CUSTODY_ALERT_DAYS = 30
    first, second = two_kept
    second.disposal = Impound.Disposal.AUCTION
    second.save()
    assert services.alert_long_custody(local(2026, 3, 2, 9)) == 0  # 29 days
    assert services.alert_long_custody(local(2026, 3, 3, 11)) == 1
    assert services.alert_long_custody(local(2026, 3, 4, 9)) == 0
    first.refresh_from_db()
    assert first.overdue_alerted_at == local(2026, 3, 3, 11)
    assert kinds(judge) == ["vehicles.long_custody"]
    assert kinds(staff[Role.SECTION_CHIEF]) == ["vehicles.long_custody"]


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_alert_task(two_kept, judge, settings):
    from vehicles.tasks import alert_long_custody

    settings.VEHICLES_CUSTODY_ALERT_DAYS = 1
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        alert_long_custody.delay()
        alert_long_custody.delay()  # delivered twice: still one alert each
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Impound.objects.filter(overdue_alerted_at__isnull=False).count() == 2:
                time.sleep(0.5)  # let the second run finish
                break
            time.sleep(0.2)
    assert kinds(judge) == ["vehicles.long_custody", "vehicles.long_custody"]
    assert Impound.objects.filter(overdue_alerted_at__isnull=False).count() == 2


def test_beat_runs_both_controls_daily():
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))
    assert {"vehicles.remind_stock_checks", "vehicles.alert_long_custody"} <= tasks
