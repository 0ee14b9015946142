"""Reads of the standby roster and callouts that views, API and tasks share."""

from __future__ import annotations

import datetime as dt

from courtexec.models import Court
from standby.models import Shift


def shift_at(court: Court | int, at: dt.datetime) -> Shift | None:
    """The shift of ``court`` on duty at ``at`` (shifts are half-open: 08:00 belongs to the
    shift that starts then), with its three people; ``None`` in a gap."""
    return (
        Shift.objects.filter(court=court, starts_at__lte=at, ends_at__gt=at)
        .select_related("leader", "judge", "police", "team")
        .first()
    )


# --- roster -----------------------------------------------------------------------------------


def shifts_between(court: Court | int, start: dt.datetime, end: dt.datetime):
    """The court's shifts overlapping [start, end), in order, with their people."""
    return (
        Shift.objects.filter(court=court, starts_at__lt=end, ends_at__gt=start)
        .select_related("leader", "judge", "police", "team")
        .order_by("starts_at")
    )


def gaps(
    court: Court | int, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The periods in [start, end) when no shift of the court is on duty."""
    found = []
    cursor = start
    for begins, ends in shifts_between(court, start, end).values_list("starts_at", "ends_at"):
        if begins > cursor:
            found.append((cursor, begins))
        cursor = max(cursor, ends)
    if cursor < end:
        found.append((cursor, end))
    return found


def shifts_of(user, start: dt.datetime, end: dt.datetime | None = None):
    """The user's own shifts (any place) ending after ``start``."""
    from django.db.models import Q

    found = Shift.objects.filter(Q(leader=user) | Q(judge=user) | Q(police=user), ends_at__gt=start)
    if end is not None:
        found = found.filter(starts_at__lt=end)
    return found.select_related("leader", "judge", "police", "team", "court").order_by("starts_at")


def swaps_for(user):
    """Swaps of the user's court the user takes part in; all of them for a bureau leader."""
    from django.db.models import Q

    from courtexec.roles import Role
    from standby.models import ShiftSwap

    found = ShiftSwap.objects.filter(court=user.court_id)
    if not (user.is_superuser or user.has_role(Role.BUREAU_CHIEF)):
        found = found.filter(Q(requester=user) | Q(counterpart=user))
    return found.select_related(
        "requester", "counterpart", "shift", "counterpart_shift", "decided_by"
    ).order_by("-requested_at", "-pk")


def live_feed(token: str):
    """The live (not revoked) calendar feed with this token, or ``None``."""
    from standby.models import CalendarFeed

    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
