"""Escalation of an unacknowledged callout and the deadline alerts: with time travel (each step
once, however often the check runs) and with a real Celery worker running the countdown task."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker

from courtexec.celery import app
from courtexec.models import Notification
from courtexec.roles import Role
from standby import services
from standby.models import Callout
from tests.standby.callout_fixtures import at, make_shift, report

pytest_plugins = ["tests.standby.callout_fixtures"]
pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def test_escalates_to_leader_then_chiefs_each_once(court_a, staff, team, liaison):
    make_shift(court_a, team, at(2026, 3, 10, 8, 0))
    with time_machine.travel(at(2026, 3, 10, 22, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 21, 50))
    chief = staff[Role.BUREAU_CHIEF]
    assert kinds(team["judge"]) == ["standby.callout"]
    assert kinds(chief) == []

    assert services.check_callouts(at(2026, 3, 10, 22, 14)) == 0
    assert services.check_callouts(at(2026, 3, 10, 22, 15)) == 1
    assert services.check_callouts(at(2026, 3, 10, 22, 16)) == 0  # once
    callout.refresh_from_db()
    assert callout.escalation_level == 1
    assert kinds(team["leader"]) == ["standby.callout", "standby.escalation"]
    assert kinds(team["judge"]) == ["standby.callout"]
    assert kinds(chief) == []

    assert services.check_callouts(at(2026, 3, 10, 22, 29)) == 0
    assert services.check_callouts(at(2026, 3, 10, 22, 30)) == 1
    assert services.check_callouts(at(2026, 3, 10, 22, 59)) == 0
    callout.refresh_from_db()
    assert callout.escalation_level == 2
    assert kinds(chief) == ["standby.escalation"]
    assert [e.kind for e in callout.events.filter(kind="escalated")] == ["escalated", "escalated"]


def test_acknowledged_callout_is_not_escalated(court_a, team, liaison):
    make_shift(court_a, team, at(2026, 3, 10, 8, 0))
    with time_machine.travel(at(2026, 3, 10, 22, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 21, 50))
    with time_machine.travel(at(2026, 3, 10, 22, 5), tick=False):
        services.acknowledge_callout(callout=callout, user=team["judge"])
    services.check_callouts(at(2026, 3, 10, 23, 0))
    callout.refresh_from_db()
    assert callout.escalation_level == 0
    assert "standby.escalation" not in kinds(team["leader"])


def test_deadline_warning_at_seven_and_missed_alert_at_eight_each_once(
    court_a, staff, team, liaison
):
    make_shift(court_a, team, at(2026, 12, 31, 8, 0))
    with time_machine.travel(at(2026, 12, 31, 23, 40), tick=False):
        callout = report(court_a, liaison, at(2026, 12, 31, 23, 30))
        services.acknowledge_callout(callout=callout, user=team["police"])
    assert callout.handover_deadline == at(2027, 1, 1, 8, 0)
    assert services.check_callouts(at(2027, 1, 1, 6, 59)) == 0
    assert services.check_callouts(at(2027, 1, 1, 7, 0)) == 1
    assert services.check_callouts(at(2027, 1, 1, 7, 30)) == 0
    assert "standby.deadline" in kinds(team["police"])
    assert services.check_callouts(at(2027, 1, 1, 8, 0)) == 1
    assert services.check_callouts(at(2027, 1, 1, 9, 0)) == 0
    assert kinds(staff[Role.BUREAU_CHIEF]) == ["standby.deadline_missed"]
    callout.refresh_from_db()
    assert callout.deadline_warned_at == at(2027, 1, 1, 7, 0)
    assert callout.deadline_missed_at == at(2027, 1, 1, 8, 0)


def test_handed_over_callout_gets_no_deadline_alerts(court_a, staff, team, liaison):
    make_shift(court_a, team, at(2026, 3, 10, 8, 0))
    with time_machine.travel(at(2026, 3, 10, 23, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 22, 50))
        for step in (
            services.acknowledge_callout,
            services.dispatch_callout,
            services.hand_over_callout,
        ):
            callout = step(callout=callout, user=team["judge"])
    services.check_callouts(at(2026, 3, 11, 9, 0))
    callout.refresh_from_db()
    assert callout.deadline_warned_at is None and callout.deadline_missed_at is None
    assert kinds(staff[Role.BUREAU_CHIEF]) == []


def test_no_shift_on_duty_tells_the_chiefs_at_once(court_a, staff, liaison):
    with time_machine.travel(at(2026, 3, 10, 22, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 21, 50))
    assert callout.shift is None
    assert kinds(staff[Role.BUREAU_CHIEF]) == ["standby.callout"]


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_countdown_task_and_escalates(court_a, team, liaison, settings):
    """The countdown tasks set at report time escalate with nobody calling the check by hand:
    the acknowledgement time is 0 minutes, so each countdown is about a second."""
    settings.STANDBY_ACK_MINUTES = 0
    now = dt.datetime.now(tz=dt.UTC)
    make_shift(court_a, team, now - dt.timedelta(hours=1))
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        callout = report(court_a, liaison, now - dt.timedelta(minutes=1))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            callout.refresh_from_db()
            if callout.escalation_level == 2:
                break
            time.sleep(0.3)
    assert callout.escalation_level == 2
    assert callout.status == Callout.Status.REPORTED
    assert kinds(team["leader"]).count("standby.escalation") == 2  # as leader, then as a chief


@pytest.mark.django_db(transaction=True)
def test_a_check_skips_a_callout_another_check_holds(court_a, team, liaison):
    """Two workers at once: the one that finds the row locked does nothing; the holder's step
    is recorded, so the other's next run finds nothing left to do."""
    import threading

    from django.db import connection, transaction

    make_shift(court_a, team, at(2026, 3, 10, 8, 0))
    with time_machine.travel(at(2026, 3, 10, 22, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 21, 50))
    locked, release, results = threading.Event(), threading.Event(), {}

    def holder():
        try:
            with transaction.atomic():
                Callout.objects.select_for_update().get(pk=callout.pk)
                locked.set()
                release.wait(10)
                results["holder"] = services._check(
                    Callout.objects.select_related("shift").get(pk=callout.pk),
                    at(2026, 3, 10, 22, 20),
                )
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(10)
    results["skipped"] = services.check_callout(callout.pk, at(2026, 3, 10, 22, 20))
    release.set()
    thread.join(10)
    assert results == {"holder": ["escalated"], "skipped": []}
    assert services.check_callout(callout.pk, at(2026, 3, 10, 22, 21)) == []
    assert kinds(team["leader"]).count("standby.escalation") == 1


def test_beat_runs_the_safety_net_every_minute(court_a, team, liaison):
    from django_celery_beat.models import PeriodicTask

    from standby import tasks

    job = PeriodicTask.objects.get(task="standby.check_callouts")
    assert job.enabled and (job.interval.every, job.interval.period) == (1, "minutes")
    make_shift(court_a, team, at(2026, 3, 10, 8, 0))
    with time_machine.travel(at(2026, 3, 10, 22, 0), tick=False):
        callout = report(court_a, liaison, at(2026, 3, 10, 21, 50))
    with time_machine.travel(at(2026, 3, 10, 22, 16), tick=False):
        assert tasks.check_callouts.apply().get() == 1
        assert tasks.check_callout.apply(args=[callout.pk]).get() == 0
    callout.refresh_from_db()
    assert callout.escalation_level == 1
