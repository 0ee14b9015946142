"""Telling staff: in-app notifications and text messages, written with the change that causes
them and sent after it commits."""

from __future__ import annotations

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


def queue_sms(*, phone: str, text: str, kind: str) -> SmsMessage:
    """Store the message now; a Celery task hands it to the gateway once the write commits."""
    from courtexec.tasks import send_sms

    message = SmsMessage.objects.create(phone=phone, text=text[:500], kind=kind)
    transaction.on_commit(lambda: send_sms.delay(message.pk))
    return message


def deliver_sms(message_id: int) -> None:
    """Send one stored message, once: the row is locked and moved on from ``queued``."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != SmsMessage.Status.QUEUED:
            return
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
