"""Background jobs of the command centre: thin, safe to run twice, calling services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from courtexec.command import services


@shared_task(bind=True, name="command.build_export", acks_late=True, reject_on_worker_lost=True)
def build_export(self, job_id: int) -> None:
    """Build one queued export. A delivery that finds the job finished does nothing; one that
    finds it running (a duplicate, or the redelivery after a worker died) comes back when a
    running build counts as abandoned, and rebuilds it then if it is still not finished."""
    try:
        services.build_export(job_id)
    except services.StillRunning as running:
        raise self.retry(countdown=running.after, max_retries=3) from None


@shared_task(name="command.remove_old_exports", acks_late=True)
def remove_old_exports() -> int:
    """Daily: delete exports past their keeping time, with their files."""
    return services.remove_old_exports(now=timezone.now())


@shared_task(name="command.make_monthly_reports", acks_late=True)
def make_monthly_reports() -> int:
    """On the 1st: every court's report for the month just ended (made once per court)."""
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return len(services.make_monthly_reports(month=last_month))
