"""The hourly flag job through a real Celery worker: it runs the service, and a second run
finds nothing left to flag."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from courtexec.celery import app
from courtexec.models import Notification
from courtexec.roles import Role
from enforcement.liaison import tasks
from enforcement.liaison.models import Thread
from tests.liaison.messaging_helpers import party_writes


@pytest.mark.django_db(transaction=True)
def test_the_flag_job_runs_in_a_worker_once_per_run(applicant_account, case, staff):
    party_writes(applicant_account, case, timezone.now() - dt.timedelta(days=10))
    chief = staff[Role.SECTION_CHIEF]
    flags = Notification.objects.filter(recipient=chief, kind="liaison.unanswered")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        tasks.flag_unanswered.delay()
        tasks.flag_unanswered.delay()  # at least once: the second finds the run flagged
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and not Thread.objects.filter(flagged_at__isnull=False).exists()
        ):
            time.sleep(0.3)
        time.sleep(2)  # the solo worker runs the second task after the first committed
    assert Thread.objects.get().flagged_at is not None
    assert flags.count() == 1
