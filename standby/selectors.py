"""Reads of the standby roster and callouts that views, API and tasks share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from courtexec.models import Court, User
from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement.models import CaseParty, EnforcementCase
from standby.models import Callout, Shift


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


# --- callouts ---------------------------------------------------------------------------------


def ack_period() -> dt.timedelta:
    """How long a callout may wait for an acknowledgement before each escalation step."""
    return dt.timedelta(minutes=settings.STANDBY_ACK_MINUTES)


def warning_period() -> dt.timedelta:
    return dt.timedelta(minutes=settings.STANDBY_DEADLINE_WARNING_MINUTES)


@dataclass(frozen=True)
class PersonMatch:
    """What this court has on a caught person: the respondent link of their open case due
    soonest, the total outstanding over their open cases, and whether they are publicly listed."""

    link: CaseParty | None = None
    open_cases: tuple[EnforcementCase, ...] = ()
    outstanding: Decimal = Decimal("0")
    blacklisted: bool = False


def match_person(court: Court | int, id_number: str) -> PersonMatch:
    if not id_number:
        return PersonMatch()
    links = list(
        CaseParty.objects.filter(
            role=CaseParty.Role.RESPONDENT, case__court=court, party__id_number=id_number
        )
        .exclude(case__status=EnforcementCase.Status.CONCLUDED)
        .select_related("case", "party")
        .order_by("case__due_on", "case__pk")
    )
    if not links:
        return PersonMatch()
    from debtors.models import BlacklistEntry

    cases = tuple(link.case for link in links)
    listed = BlacklistEntry.objects.filter(
        respondent__party=links[0].party, status=BlacklistEntry.Status.PUBLISHED
    ).exists()
    return PersonMatch(
        link=links[0],
        open_cases=cases,
        outstanding=sum((case.outstanding for case in cases), Decimal("0")),
        blacklisted=listed,
    )


def callout_match(callout: Callout) -> PersonMatch:
    return match_person(callout.court_id, callout.person_id_number)


def visible_callouts(user: User) -> QuerySet[Callout]:
    """The callouts a user may read: their courts'; a police liaison only their own reports."""
    queryset = restrict(Callout.objects.all(), user).select_related(
        "matched_case", "shift__leader", "shift__judge", "shift__police", "reported_by"
    )
    if user.has_role(Role.POLICE_LIAISON) and not user.is_superuser:
        queryset = queryset.filter(reported_by=user)
    return queryset


def open_callouts(user: User) -> QuerySet[Callout]:
    return (
        visible_callouts(user).exclude(status=Callout.Status.CLOSED).order_by("handover_deadline")
    )


def callouts_due(now: dt.datetime) -> list[int]:
    """Open callouts with an escalation, a deadline warning or a missed-deadline alert due."""
    ack = ack_period()
    unacknowledged = Q(status=Callout.Status.REPORTED) & (
        Q(escalation_level=0, reported_at__lte=now - ack)
        | Q(escalation_level=1, escalated_at__lte=now - ack)
    )
    not_handed_over = Q(handed_over_at__isnull=True) & ~Q(status=Callout.Status.CLOSED)
    warning = Q(deadline_warned_at__isnull=True, handover_deadline__lte=now + warning_period())
    missed = Q(deadline_missed_at__isnull=True, handover_deadline__lte=now)
    return list(
        Callout.objects.filter(unacknowledged | (not_handed_over & (warning | missed)))
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
