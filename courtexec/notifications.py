"""The notification centre: in-app notifications and outside deliveries (SMS, email, WeChat),
written with the change that causes them and sent after it commits.

Every app tells people through :func:`notify` (named users) or :func:`notify_role` (a role of a
court). Which outside channels a notification also goes by is decided here only, from the kinds
registry (``courtexec.notification_kinds``) and the recipient's preferences; urgent kinds always
add SMS; a channel the person has no address for (no phone, email or WeChat binding) is skipped.

Outside messages are an outbox (``Delivery`` rows in ``queued``): after a commit the process
nudges the relay task at most once a second (a burst of arrivals costs one broker message, not
one each), and beat runs the relay every 10 seconds, so a broker outage only delays them. The
relay claims a row (``sending``), calls the channel outside any transaction and records the
outcome after (see :func:`relay_deliveries`). A send that may succeed later is retried with
exponential backoff up to ``DELIVERY_MAX_ATTEMPTS``; then the row is ``failed`` and the system
administrators are told. A secret kind's text (a sign-in code) is masked once sent or failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec import notification_kinds as kinds
from courtexec.authz import require, require_role
from courtexec.channels import DeliveryError, adapter
from courtexec.models import (
    Court,
    Delivery,
    Notification,
    NotificationPreference,
    User,
    WechatBinding,
)
from courtexec.roles import Role
from courtexec.selectors import staff_with_roles

Channel = Delivery.Channel
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    """One message to some people: what :func:`notify_many` writes in a batch."""

    recipients: Sequence[User | None]
    kind: str
    message: str
    link: str = ""


def notify(
    recipients: Iterable[User | None], *, kind: str, message: str, link: str = ""
) -> list[Notification]:
    """One inbox entry per distinct active recipient, and its outside deliveries."""
    return notify_many([Alert(list(recipients), kind, message, link)])


def notify_role(
    court: Court | int, role: Role, *, kind: str, message: str, link: str = ""
) -> list[Notification]:
    """Tell the active holders of ``role`` in ``court`` (and nobody in another court)."""
    return notify(staff_with_roles(court, role), kind=kind, message=message, link=link)


def notify_many(alerts: Iterable[Alert]) -> list[Notification]:
    """Many alerts in a few INSERTs (a scan raising thousands of alerts at once): each active
    recipient of an alert once; the outside channels as :func:`notify` decides them."""
    notes: list[Notification] = []
    for alert in alerts:
        kinds.get(alert.kind)  # an unregistered kind is a programming error
        unique = {u.pk: u for u in alert.recipients if u is not None and u.is_active}
        notes += [
            Notification(recipient=u, kind=alert.kind, message=alert.message, link=alert.link)
            for u in unique.values()
        ]
    if not notes:
        return []
    Notification.objects.bulk_create(notes, batch_size=2000)
    deliveries = _outside_deliveries(notes)
    if deliveries:
        Delivery.objects.bulk_create(deliveries, batch_size=2000)
        transaction.on_commit(_nudge_relay)
    return notes


def channels_for(
    kind: kinds.Kind, preference: list[str] | None, addresses: dict[str, str]
) -> list[str]:
    """The outside channels of one notification to one person, in the centre's rules."""
    if preference is not None:
        wanted = [c for c in preference if addresses.get(c)]
    else:
        wanted = [c for c in kind.channels if addresses.get(c)]
        if kind.first_only:
            wanted = wanted[:1]
    if kind.urgent and Channel.SMS not in wanted and addresses.get(Channel.SMS):
        wanted.append(Channel.SMS)
    return wanted


def _outside_deliveries(notes: list[Notification]) -> list[Delivery]:
    users = {note.recipient_id: note.recipient for note in notes}
    preferences = {
        (p.user_id, p.category): p.channels
        for p in NotificationPreference.objects.filter(user_id__in=users)
    }
    openids = dict(WechatBinding.objects.filter(user_id__in=users).values_list("user_id", "openid"))
    deliveries = []
    for note in notes:
        kind = kinds.get(note.kind)
        user = users[note.recipient_id]
        addresses = {
            Channel.SMS: user.phone,
            Channel.EMAIL: user.email,
            Channel.WECHAT: openids.get(user.pk, ""),
        }
        preference = (
            preferences.get((user.pk, kind.category))
            if kind.category in kinds.PREFERENCE_CATEGORIES
            else []  # system notices stay in the app
        )
        for channel in channels_for(kind, preference, addresses):
            deliveries.append(
                Delivery(
                    channel=channel,
                    address=addresses[channel],
                    text=note.message[:500] if channel == Channel.SMS else note.message,
                    subject=str(kind.label)[:200],
                    kind=note.kind,
                    notification=note,
                )
            )
    return deliveries


def set_preferences(*, user: User, channels: dict[str, list[str]]) -> list[NotificationPreference]:
    """Store the person's channels for each category given (the others keep theirs)."""
    valid = set(Channel.values)
    rows = []
    with transaction.atomic():
        for category, chosen in channels.items():
            require(category in kinds.PREFERENCE_CATEGORIES, "category", _("Not a category."))
            picked = [c for c in Channel.values if c in set(chosen) & valid]
            row, _created = NotificationPreference.objects.update_or_create(
                user=user, category=category, defaults={"channels": picked}
            )
            rows.append(row)
    return rows


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
    """Send the queued messages that are due. Returns how many were tried.

    No outside call runs inside a transaction: each message is claimed in a short one (the row
    locked, skipped by a concurrent relay, marked ``sending`` with the attempt's start), sent
    with no transaction or lock held, and its outcome recorded in another short one, only if
    the row is still the same claim. A worker that dies between the claim and the record leaves
    the row ``sending``; :func:`reclaim_stuck_deliveries`, run first by every relay, counts it
    as a failed attempt after ``DELIVERY_SENDING_TIMEOUT_SECONDS``. Such a message may have
    reached the person and is then sent again: delivery is at least once, never lost.
    """
    reclaim_stuck_deliveries()
    tried = 0
    while tried < limit:
        delivery = _claim()
        if delivery is None:
            break
        _send(delivery)
        tried += 1
    return tried


def _claim() -> Delivery | None:
    """The next due ``queued`` row, now ``sending`` and committed; ``None`` when none is due."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.QUEUED)
            .exclude(next_attempt_at__gt=now)
            .order_by("pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.attempt_started_at = now
        delivery.save(update_fields=["status", "attempts", "attempt_started_at"])
    return delivery


def reclaim_stuck_deliveries() -> int:
    """Rows ``sending`` for longer than ``DELIVERY_SENDING_TIMEOUT_SECONDS`` (their relay died
    or lost its database before recording the outcome): a failed attempt that may be retried.
    Returns how many."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.DELIVERY_SENDING_TIMEOUT_SECONDS)
    with transaction.atomic():
        stuck = list(
            Delivery.objects.select_for_update(skip_locked=True).filter(
                status=Delivery.Status.SENDING, attempt_started_at__lt=cutoff
            )
        )
        for delivery in stuck:
            logger.warning("Delivery %s was left sending; counted as a failed attempt", delivery.pk)
            error = DeliveryError(str(_("No answer from the relay: it may have stopped.")))
            _record(delivery, error, now)
    return len(stuck)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: the base delay after the first failure, doubling after each."""
    return dt.timedelta(seconds=settings.DELIVERY_RETRY_SECONDS * 2 ** (attempts - 1))


def _send(delivery: Delivery) -> None:
    """Hand a claimed row to its channel (no transaction is open), then record the outcome."""
    try:
        sender = adapter(delivery.channel)
        outcome: str | DeliveryError = sender.send(
            delivery.address, delivery.text, subject=delivery.subject
        )
    except Exception as exc:
        if not isinstance(exc, DeliveryError):
            logger.exception("Adapter of %s failed on delivery %s", delivery.channel, delivery.pk)
            exc = DeliveryError(f"{type(exc).__name__}: {exc}")
        outcome = exc
    with transaction.atomic():
        _record(delivery, outcome, timezone.now())


def _record(delivery: Delivery, outcome: str | DeliveryError, now: dt.datetime) -> None:
    """Write one attempt's outcome (the channel's reference, or its error) on the claimed row,
    in one UPDATE that only matches the same claim (a row reclaimed meanwhile is left as it is).
    A secret text is masked in that same write once the row is sent or failed for good."""
    changes: dict = {"attempt_started_at": None}
    failed = False
    if isinstance(outcome, DeliveryError):
        changes["error"] = str(outcome)[:300]
        if outcome.retryable and delivery.attempts < settings.DELIVERY_MAX_ATTEMPTS:
            changes["status"] = Delivery.Status.QUEUED
            changes["next_attempt_at"] = now + retry_delay(delivery.attempts)
        else:
            changes["status"] = Delivery.Status.FAILED
            changes["next_attempt_at"] = None
            failed = True
    else:
        changes.update(
            reference=outcome[:64],
            status=Delivery.Status.SENT,
            sent_at=now,
            next_attempt_at=None,
            error="",
        )
    if changes["status"] != Delivery.Status.QUEUED and kinds.is_secret(delivery.kind):
        changes["text"] = kinds.mask(delivery.text)
    recorded = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts
    ).update(**changes)
    if not recorded:
        logger.warning("Delivery %s was reclaimed before its outcome was recorded", delivery.pk)
        return
    for field, value in changes.items():
        setattr(delivery, field, value)
    if failed:
        _tell_administrators(delivery)


def _tell_administrators(delivery: Delivery) -> None:
    administrators = User.objects.filter(is_active=True, groups__name=Role.SYSADMIN.value)
    notify(
        administrators.distinct(),
        kind="system.delivery_failed",
        message=_("%(channel)s to %(address)s could not be sent: %(error)s")
        % {
            "channel": delivery.get_channel_display(),
            "address": delivery.address,
            "error": delivery.error,
        },
        link=reverse("delivery-failures"),
    )


def retry_deliveries(*, user: User, ids: Iterable[int]) -> int:
    """Send failed messages again (a system administrator's action), from a fresh count. A
    secret message (a sign-in code) is not: its text is masked, and the person asks anew."""
    require_role(user, Role.SYSADMIN)
    with transaction.atomic():
        retried = (
            Delivery.objects.filter(pk__in=list(ids), status=Delivery.Status.FAILED)
            .exclude(kind__in=kinds.secret_kinds())  # masked: a new code must be asked for
            .update(status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=None, error="")
        )
        if retried:
            transaction.on_commit(_nudge_relay)
    return retried


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
