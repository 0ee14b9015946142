"""Reads shared by the shell's views, the API and health checks."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from courtexec import notification_kinds
from courtexec.beat import last_heartbeat
from courtexec.models import Court, Delivery, Notification, NotificationPreference, User
from courtexec.roles import Role
from courtexec.visibility import restrict


@dataclass(frozen=True)
class ComponentHealth:
    name: str
    ok: bool
    detail: str


def check_database() -> ComponentHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return ComponentHealth("database", False, type(exc).__name__)
    return ComponentHealth("database", True, "ok")


def check_redis() -> ComponentHealth:
    try:
        client = cache._cache.get_client(write=True)  # Django's RedisCache client
        client.ping()
    except Exception as exc:
        return ComponentHealth("redis", False, type(exc).__name__)
    return ComponentHealth("redis", True, "ok")


def check_worker(timeout: float = 1.0) -> ComponentHealth:
    from courtexec.celery import app

    try:
        replies = app.control.ping(timeout=timeout)
    except Exception as exc:
        return ComponentHealth("worker", False, type(exc).__name__)
    if not replies:
        return ComponentHealth("worker", False, "no worker answered a ping")
    return ComponentHealth("worker", True, f"{len(replies)} answering")


def check_beat() -> ComponentHealth:
    try:
        beat = last_heartbeat()
    except Exception as exc:
        return ComponentHealth("beat", False, type(exc).__name__)
    if beat is None:
        return ComponentHealth("beat", False, "no heartbeat recorded")
    age = time.time() - beat
    if age > settings.BEAT_HEARTBEAT_MAX_AGE:
        return ComponentHealth("beat", False, f"last heartbeat {age:.0f} s ago")
    return ComponentHealth("beat", True, f"last heartbeat {age:.0f} s ago")


def system_health() -> list[ComponentHealth]:
    return [check_database(), check_redis(), check_worker(), check_beat()]


def visible_courts(user: User) -> QuerySet[Court]:
    return restrict(Court.objects.select_related("parent"), user)


def visible_staff(user: User) -> QuerySet[User]:
    return restrict(User.objects.filter(is_active=True), user).prefetch_related("groups")


@dataclass(frozen=True)
class RoleCount:
    role: Role
    count: int


def staff_by_role(user: User) -> list[RoleCount]:
    """How many active staff hold each role, in the courts ``user`` may see."""
    counts = visible_staff(user).aggregate(
        **{role.value: Count("pk", filter=Q(groups__name=role.value)) for role in Role}
    )
    return [RoleCount(role, counts[role.value]) for role in Role]


def staff_with_roles(court: Court | int, *roles: Role) -> QuerySet[User]:
    """Active staff of a court holding any of these roles (whom a court-wide alert tells)."""
    return (
        User.objects.filter(court=court, is_active=True, groups__name__in=[r.value for r in roles])
        .distinct()
        .prefetch_related("groups")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def inbox(
    user, *, unread_only: bool = False, category: str = "", kind: str = ""
) -> QuerySet[Notification]:
    """The user's own notifications, newest first; optionally unread, of one category or kind."""
    notes = Notification.objects.filter(recipient=user)
    if unread_only:
        notes = notes.filter(read_at=None)
    if category:
        notes = notes.filter(
            kind__in=[k.code for k in notification_kinds.KINDS.values() if k.category == category]
        )
    if kind:
        notes = notes.filter(kind=kind)
    return notes


def failed_deliveries() -> QuerySet[Delivery]:
    """Outside messages the relay gave up on, newest first (the administrators' failures page)."""
    return Delivery.objects.filter(status=Delivery.Status.FAILED).select_related(
        "notification__recipient"
    )


@dataclass(frozen=True)
class PreferenceRow:
    """One category of the preferences matrix: the channels in force and whether they are the
    kinds' defaults; the urgent kinds (always by text message) named."""

    category: str
    label: str
    channels: list[str]
    uses_defaults: bool
    always_sms: list[str]


def preference_matrix(user: User) -> list[PreferenceRow]:
    stored = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "channels")
    )
    rows = []
    for category in notification_kinds.PREFERENCE_CATEGORIES:
        of_category = [k for k in notification_kinds.KINDS.values() if k.category == category]
        channels = stored.get(category.value)
        defaults = [c for c in Delivery.Channel.values if any(c in k.channels for k in of_category)]
        rows.append(
            PreferenceRow(
                category=category.value,
                label=str(category.label),
                channels=defaults if channels is None else channels,
                uses_defaults=channels is None,
                always_sms=[str(k.label) for k in of_category if k.urgent],
            )
        )
    return rows
