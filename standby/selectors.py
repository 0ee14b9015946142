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
