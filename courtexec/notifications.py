"""Telling staff: in-app notifications and text messages, written with the change that causes
them and sent after it commits.

Text messages are an outbox (``SmsMessage`` rows in ``queued``): after a commit the process nudges
the relay task at most once a second (a burst of arrivals costs one broker message, not one
each), and beat runs the relay every 10 seconds, so a broker outage only delays them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from courtexec.models import Notification, SmsMessage, User
from courtexec.sms import SmsError, gateway


def notify(
    recipients: Iterable[User], *, kind: str, message: str, link: str = "", sms: bool = False
) -> list[Notification]:
    """One inbox entry per distinct recipient; with ``sms`` also a text to each phone on file."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, message=message, link=link) for u in unique.values()]
    )
    if sms:
        for user in unique.values():
            if user.phone:
                queue_sms(phone=user.phone, text=message, kind=kind)
    return notes


NUDGE_EVERY_SECONDS = 1.0
_last_nudge = -NUDGE_EVERY_SECONDS


def queue_sms(*, phone: str, text: str, kind: str) -> SmsMessage:
    """Store the message now; the relay hands it to the gateway once the write commits."""
    message = SmsMessage.objects.create(phone=phone, text=text[:500], kind=kind)
    transaction.on_commit(_nudge_relay)
    return message


def _nudge_relay() -> None:
    """Ask a worker to run the relay a second from now, unless this process asked less than a
    second ago: that run will also see this message, committed before it starts."""
    global _last_nudge
    now = time.monotonic()
    if now - _last_nudge < NUDGE_EVERY_SECONDS:
        return
    _last_nudge = now
    from courtexec.tasks import relay_sms

    relay_sms.apply_async(countdown=NUDGE_EVERY_SECONDS)


def relay_sms(limit: int = 500) -> int:
    """Send queued messages, each once (rows locked and skipped by a concurrent relay)."""
    sent = 0
    while sent < limit:
        with transaction.atomic():
            batch = list(
                SmsMessage.objects.select_for_update(skip_locked=True)
                .filter(status=SmsMessage.Status.QUEUED)
                .order_by("pk")[:50]
            )
            if not batch:
                break
            for message in batch:
                _send(message)
        sent += len(batch)
    return sent


def _send(message: SmsMessage) -> None:
    try:
        message.gateway_reference = gateway().send(message.phone, message.text)
        message.status = SmsMessage.Status.SENT
        message.sent_at = timezone.now()
    except SmsError as exc:
        message.status = SmsMessage.Status.FAILED
        message.error = str(exc)[:300]
    message.save(update_fields=["gateway_reference", "status", "sent_at", "error"])


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
