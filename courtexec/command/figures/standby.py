"""The command centre's standby tiles (备勤: callouts and who is on duty) and the callouts'
trend, read through ``standby.selectors``."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courtexec.command.tiles import (
    Chart,
    ChartData,
    Column,
    Group,
    Scope,
    Series,
    Tile,
    month_labels,
    register,
    yes_no,
    zero_filled,
)
from standby import selectors
from standby.models import Callout, Shift

VIEW_CALLOUTS = "standby.view_callout"  # the callout board
VIEW_SHIFTS = "standby.view_shift"  # the roster


def local_time(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def moment(scope: Scope) -> dt.datetime:
    """When a "now" figure is read: now, or noon of the scope's day when that is not today."""
    now = timezone.now()
    if timezone.localdate(now) == scope.today:
        return now
    return timezone.make_aware(dt.datetime.combine(scope.today, dt.time(12)))


# --- Who is on duty ---------------------------------------------------------------------------

SHIFT_COLUMNS = (
    Column(_("Court"), lambda shift: shift.court.name),
    Column(_("Team"), lambda shift: shift.team.name if shift.team else gettext("Override")),
    Column(_("Bureau leader"), lambda shift: str(shift.leader)),
    Column(_("Enforcement judge"), lambda shift: str(shift.judge)),
    Column(_("Judicial police"), lambda shift: str(shift.police)),
    Column(_("From"), lambda shift: local_time(shift.starts_at)),
    Column(_("Until"), lambda shift: local_time(shift.ends_at)),
)


def on_duty(scope: Scope) -> QuerySet[Shift]:
    shifts = scope.restrict(Shift.objects.select_related("court"))
    return selectors.on_duty_at(shifts, moment(scope)).order_by("court__code", "pk")


# --- Callouts (网上布控到案) ----------------------------------------------------------------------

CALLOUT_COLUMNS = (
    Column(
        _("Reference"),
        lambda callout: callout.reference,
        link=lambda callout: reverse("standby:callout-detail", args=[callout.pk]),
    ),
    Column(_("Court"), lambda callout: callout.court.name),
    Column(_("Caught at"), lambda callout: local_time(callout.caught_at)),
    Column(_("Person"), lambda callout: callout.person_name),
    Column(_("Requesting court"), lambda callout: callout.requesting_court_name),
    Column(_("Handover deadline"), lambda callout: local_time(callout.handover_deadline)),
    Column(_("Handed over at"), lambda callout: local_time(callout.handed_over_at)),
    Column(_("Status"), lambda callout: callout.get_status_display()),
)

OPEN_CALLOUT_COLUMNS = (
    *CALLOUT_COLUMNS,
    Column(_("Overdue"), lambda callout: yes_no(callout.overdue)),
)


def callouts(scope: Scope) -> QuerySet[Callout]:
    return scope.restrict(Callout.objects.select_related("court"))


def open_callouts(scope: Scope) -> QuerySet[Callout]:
    overdue = selectors.past_deadline(moment(scope))
    return selectors.still_open(callouts(scope)).annotate(
        overdue=ExpressionWrapper(overdue, output_field=BooleanField())
    )


def caught(scope: Scope) -> QuerySet[Callout]:
    return selectors.caught_between(callouts(scope), scope.start, scope.end).order_by(
        "caught_at", "pk"
    )


def assists(scope: Scope) -> QuerySet[Callout]:
    return caught(scope).filter(selectors.ASSIST)


def trend(scope: Scope) -> ChartData:
    """Callouts and assists per month, whole months up to the period's last day."""
    months = scope.months(at_least=12)
    window = selectors.caught_between(callouts(scope), months[0], scope.end)
    return ChartData(
        month_labels(months),
        [
            Series(_("Callouts"), zero_filled(selectors.caught_by_month(window), months)),
            Series(
                _("Assists for other courts"),
                zero_filled(selectors.caught_by_month(window.filter(selectors.ASSIST)), months),
            ),
        ],
    )


register(
    Tile(
        "standby.open_callouts",
        Group.STANDBY,
        _("Open callouts"),
        open_callouts,
        OPEN_CALLOUT_COLUMNS,
        permission=VIEW_CALLOUTS,
        snapshot=True,
        alert=True,
        help=_("Callouts not yet closed, as on the callout board, the nearest deadline first."),
    ),
    Tile(
        "standby.on_duty",
        Group.STANDBY,
        _("Teams on duty"),
        on_duty,
        SHIFT_COLUMNS,
        permission=VIEW_SHIFTS,
        snapshot=True,
        help=_(
            "Standby shifts in force now (备勤), one team each: a court in a gap between shifts "
            "has none."
        ),
    ),
    Tile(
        "standby.callouts",
        Group.STANDBY,
        _("Callouts"),
        caught,
        CALLOUT_COLUMNS,
        permission=VIEW_CALLOUTS,
        help=_("People caught by the police on the wanted list in the period (by time caught)."),
    ),
    Tile(
        "standby.assists",
        Group.STANDBY,
        _("Assists for other courts"),
        assists,
        CALLOUT_COLUMNS,
        permission=VIEW_CALLOUTS,
        help=_(
            "Callouts in the period for a person wanted by another court (异地协助), handed to "
            "the requesting court."
        ),
    ),
    Chart(
        "standby.trend",
        Group.STANDBY,
        _("Callouts and assists per month"),
        trend,
        permission=VIEW_CALLOUTS,
    ),
)
