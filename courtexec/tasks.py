"""Background work of the project package."""

from __future__ import annotations

from celery import shared_task

from courtexec import notifications


@shared_task(name="courtexec.relay_deliveries", acks_late=True)
def relay_deliveries() -> int:
    """Send every due outside message; safe to run twice (each row is claimed by one relay)."""
    return notifications.relay_deliveries()
