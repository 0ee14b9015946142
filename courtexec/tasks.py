"""Background work of the project package."""

from __future__ import annotations

from celery import shared_task

from courtexec.notifications import deliver_sms


@shared_task(name="courtexec.send_sms", acks_late=True, reject_on_worker_lost=True)
def send_sms(message_id: int) -> None:
    """Idempotent: a message already sent (or failed) is left alone on redelivery."""
    deliver_sms(message_id)
