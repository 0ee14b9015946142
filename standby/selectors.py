"""Reads of the standby roster and callouts that views, API and tasks share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone
from django.utils.translation import gettext as _

from courtexec.models import Court, User
from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement.deadlines import add_months
from enforcement.models import CaseParty, EnforcementCase
from standby.models import Callout, Shift


def shift_at(court: Court | int, at: dt.datetime) -> Shift | None:
    """The shift of ``court`` on duty at ``at`` (shifts are half-open: 08:00 belongs to the
    shift that starts then), with its three people; ``None`` in a gap."""
    return on_duty_at(Shift.objects.filter(court=court), at).first()


def on_duty_at(shifts: QuerySet[Shift], at: dt.datetime) -> QuerySet[Shift]:
    """Those of ``shifts`` on duty at ``at`` (half-open), with their team and three people."""
    return shifts.filter(starts_at__lte=at, ends_at__gt=at).select_related(
        "leader", "judge", "police", "team"
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
    """Callouts not yet closed that ``user`` may see, the nearest deadline first."""
    return still_open(visible_callouts(user))


def still_open(callouts: QuerySet[Callout]) -> QuerySet[Callout]:
    """Those of ``callouts`` not yet closed, the nearest handover deadline first."""
    return callouts.exclude(status=Callout.Status.CLOSED).order_by("handover_deadline", "pk")


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


# --- Board, dashboard tile and figures (figures slice) ----------------------------------------

MAX_FIGURE_MONTHS = 60
NIGHT_STARTS, NIGHT_ENDS = 20, 8  # the custody rule's night: caught 20:00–08:00 (BRIEF §4)
OVERRIDE = "override"


def on_duty_now(user: User, at: dt.datetime | None = None) -> Shift | None:
    """The shift of the user's own court on duty now, with its three people (one query);
    ``None`` for a user without a court or in a gap."""
    if user.court_id is None:
        return None
    return shift_at(user.court_id, at or timezone.now())


def next_shift(court: Court | int, after: dt.datetime) -> Shift | None:
    """The first shift of ``court`` starting at or after ``after``, with its three people."""
    return (
        Shift.objects.filter(court=court, starts_at__gte=after)
        .select_related("leader", "judge", "police", "team")
        .order_by("starts_at")
        .first()
    )


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median, interpolated (core, no extension)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


@dataclass(frozen=True)
class CalloutFigures:
    """What happened to the callouts caught in a span (in fen for money)."""

    callouts: int = 0
    assists: int = 0
    handed_over: int = 0
    handed_over_late: int = 0
    overdue: int = 0
    median_handover: dt.timedelta | None = None
    night_callouts: int = 0
    night_amount_paid: int = 0
    amount_paid: int = 0

    @property
    def assist_share(self) -> Decimal | None:
        """Assists for other courts ÷ callouts, percent (one decimal); ``None`` without any."""
        return _percent(self.assists, self.callouts)

    @property
    def handed_over_on_time(self) -> int:
        return self.handed_over - self.handed_over_late

    @property
    def on_time_share(self) -> Decimal | None:
        """Handed over by the deadline ÷ handed over, percent (one decimal)."""
        return _percent(self.handed_over_on_time, self.handed_over)

    @property
    def median_handover_minutes(self) -> Decimal | None:
        """Median minutes from the catch to the handover (one decimal)."""
        if self.median_handover is None:
            return None
        return (Decimal(self.median_handover.total_seconds()) / 60).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class MonthFigures:
    start: dt.date
    end: dt.date
    figures: CalloutFigures


@dataclass(frozen=True)
class TeamFigures:
    """``key`` is the team's id, or ``"override"`` for callouts of a shift without a team (an
    override's team) or caught in a gap."""

    key: str
    name: str
    court: str
    figures: CalloutFigures


@dataclass(frozen=True)
class StandbyFigures:
    start: dt.date
    end: dt.date
    total: CalloutFigures
    months: list[MonthFigures]
    teams: list[TeamFigures]


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"))


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """This month, first to last day."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return first, add_months(first, 1) - dt.timedelta(days=1)


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans, first = [], start.replace(day=1)
    while first <= end:
        following = add_months(first, 1)
        spans.append((max(first, start), min(following - dt.timedelta(days=1), end)))
        first = following
    return spans


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# An assist for another court (异地协助): the person is wanted by a court other than this one.
ASSIST = ~Q(requesting_court_name="")


def past_deadline(now: dt.datetime) -> Q:
    """A callout not handed over by its deadline, as at ``now``."""
    return Q(handed_over_at__isnull=True, handover_deadline__lt=now)


def caught_between(callouts: QuerySet[Callout], start: dt.date, end: dt.date) -> QuerySet[Callout]:
    """Those of ``callouts`` caught from ``start`` to ``end`` (local days, both included)."""
    return callouts.filter(
        caught_at__gte=_local_midnight(start),
        caught_at__lt=_local_midnight(end + dt.timedelta(days=1)),
    )


def caught_by_month(callouts: QuerySet[Callout]) -> dict[dt.date, int]:
    """How many of ``callouts`` were caught in each (local) month, keyed by its first day."""
    rows = callouts.annotate(month=Trunc("caught_at", "month", output_field=DateField()))
    counted = rows.values("month").annotate(n=Count("pk")).order_by("month")
    return {row["month"]: row["n"] for row in counted}


def _measures(now: dt.datetime) -> dict:
    """The aggregates of :class:`CalloutFigures`, for ``aggregate`` or a grouped ``annotate``."""
    # ``__hour`` reads the catch in the current time zone (Asia/Shanghai).
    night = Q(caught_at__hour__gte=NIGHT_STARTS) | Q(caught_at__hour__lt=NIGHT_ENDS)
    handed = Q(handed_over_at__isnull=False)
    return {
        "callouts": Count("pk"),
        "assists": Count("pk", filter=ASSIST),
        "handed_over": Count("pk", filter=handed),
        "handed_over_late": Count(
            "pk", filter=handed & Q(handed_over_at__gt=F("handover_deadline"))
        ),
        "overdue": Count("pk", filter=past_deadline(now) & ~Q(status=Callout.Status.CLOSED)),
        "median_handover": Median(
            ExpressionWrapper(F("handed_over_at") - F("caught_at"), output_field=DurationField()),
            filter=handed,
            output_field=DurationField(),
        ),
        "night_callouts": Count("pk", filter=night),
        "night_amount_paid": Coalesce(Sum("amount_paid", filter=night), 0),
        "amount_paid": Coalesce(Sum("amount_paid"), 0),
    }


def _figures(row: dict) -> CalloutFigures:
    return CalloutFigures(**{name: row[name] for name in CalloutFigures.__dataclass_fields__})


def figures(
    *, user: User, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> StandbyFigures:
    """Callouts caught from ``start`` to ``end`` (local days, inclusive) in the courts ``user``
    sees: how many, the share of assists for other courts, handover times against the deadline,
    money collected at night — for the period, each of its months and each team (three
    queries)."""
    now = now or timezone.now()
    callouts = caught_between(restrict(Callout.objects.all(), user), start, end)
    measures = _measures(now)
    total = _figures(callouts.aggregate(**measures))
    by_month = {
        row["month"]: _figures(row)
        for row in callouts.annotate(month=Trunc("caught_at", "month", output_field=DateField()))
        .values("month")
        .annotate(**measures)
        .order_by("month")
    }
    months = [
        MonthFigures(first, last, by_month.get(first.replace(day=1), CalloutFigures()))
        for first, last in _months(start, end)
    ]
    rows = (
        callouts.values("court__name", "shift__team", "shift__team__name")
        .annotate(**measures)
        .order_by("court__name", "shift__team__name")
    )
    teams: dict[tuple[str, str], TeamFigures] = {}
    for row in rows:
        key = str(row["shift__team"]) if row["shift__team"] else OVERRIDE
        name = row["shift__team__name"] or str(_("Override"))
        teams[(row["court__name"], key)] = TeamFigures(key, name, row["court__name"], _figures(row))
    ordered = sorted(teams.values(), key=lambda t: (t.court, t.key == OVERRIDE, t.name))
    return StandbyFigures(start, end, total, months, ordered)


def can_see_figures(user: User) -> bool:
    """The bureau's staff (who see the roster and the callouts); not the police liaison, who
    sees only their own callouts."""
    return user.has_perms(["standby.view_callout", "standby.view_shift"])
