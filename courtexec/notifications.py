"""Telling people: in-app notifications and outside deliveries (SMS, email, WeChat), written
with the change that causes them and sent after it commits.

Outside messages are an outbox (``Delivery`` rows in ``queued``): after a commit the process
nudges the relay task at most once a second (a burst of arrivals costs one broker message, not
one each), and beat runs the relay every 10 seconds, so a broker outage only delays them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from courtexec.channels import DeliveryError, adapter
from courtexec.models import Delivery, Notification, User


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


def queue_delivery(
    channel: str,
    address: str,
    text: str,
    *,
    kind: str,
    subject: str = "",
    notification: Notification | None = None,
) -> Delivery:
    """Store the message now; the relay hands it to the channel once the write commits."""
    delivery = Delivery.objects.create(
        channel=channel,
        address=address,
        text=text,
        subject=subject,
        kind=kind,
        notification=notification,
    )
    transaction.on_commit(_nudge_relay)
    return delivery


def queue_sms(*, phone: str, text: str, kind: str) -> Delivery:
    """A text message to a phone number, for people who are not users (payees, parties)."""
    return queue_delivery(Delivery.Channel.SMS, phone, text[:500], kind=kind)


def _nudge_relay() -> None:
    """Ask a worker to run the relay a second from now, unless this process asked less than a
    second ago: that run will also see this message, committed before it starts."""
    global _last_nudge
    now = time.monotonic()
    if now - _last_nudge < NUDGE_EVERY_SECONDS:
        return
    _last_nudge = now
    from courtexec.tasks import relay_deliveries

    relay_deliveries.apply_async(countdown=NUDGE_EVERY_SECONDS)


def relay_deliveries(limit: int = 500) -> int:
    """Send queued messages, each once (rows locked and skipped by a concurrent relay)."""
    sent = 0
    while sent < limit:
        with transaction.atomic():
            batch = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(status=Delivery.Status.QUEUED)
                .order_by("pk")[:50]
            )
            if not batch:
                break
            for message in batch:
                _send(message)
        sent += len(batch)
    return sent


def _send(delivery: Delivery) -> None:
    delivery.attempts += 1
    try:
        delivery.reference = adapter(delivery.channel).send(
            delivery.address, delivery.text, subject=delivery.subject
        )
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
    except DeliveryError as exc:
        delivery.status = Delivery.Status.FAILED
        delivery.error = str(exc)[:300]
    delivery.save(update_fields=["reference", "status", "sent_at", "error", "attempts"])


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
