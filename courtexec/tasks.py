"""Background work of the project package."""

from __future__ import annotations

from celery import shared_task

from courtexec import notifications


@shared_task(name="courtexec.relay_sms", acks_late=True)
def relay_sms() -> int:
    """Send every queued text message; safe to run twice (rows are locked and skipped)."""
    return notifications.relay_sms()
