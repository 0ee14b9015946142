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
