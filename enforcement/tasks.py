"""Background jobs of the enforcement app: thin, idempotent, calling services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from enforcement import services


@shared_task(name="enforcement.remind_consultations", acks_late=True)
def remind_consultations() -> int:
    """Daily: open a consultation reminder for every case open longer than the policy period
    without a consultation in it. Running it twice opens nothing twice."""
    return services.remind_consultations(today=timezone.localdate())


@shared_task(name="enforcement.warn_deadlines", acks_late=True)
def warn_deadlines() -> int:
    """Daily: tell judges of cases entering their last weeks or past their time limit (and the
    section chiefs of the overdue ones), once per due date. Running it twice tells nobody twice."""
    return services.warn_deadlines(today=timezone.localdate())
