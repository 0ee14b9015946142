"""The command centre's case tiles and charts (enforcement's records, its selectors' rules)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courtexec.command.tiles import (
    Chart,
    ChartData,
    Column,
    Group,
    Number,
    Scope,
    Series,
    Tile,
    Unit,
    month_labels,
    one_decimal,
    register,
    zero_filled,
)
from enforcement.models import EnforcementCase
from enforcement.selectors import (
    cases_awaiting_meeting,
    cases_needing_consultation,
    due_soon_cases,
    overdue_cases,
)
from standby.selectors import Median

VIEW_CASES = "enforcement.view_enforcementcase"
CONCLUDED = EnforcementCase.Status.CONCLUDED


def case_link(case: EnforcementCase) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])


# The drill-down columns of every list of cases.
CASE_COLUMNS = (
    Column(_("Case number"), lambda case: case.number, link=case_link),
    Column(_("Court"), lambda case: case.court.name),
    Column(_("Judge"), lambda case: str(case.judge)),
    Column(_("Filed on"), lambda case: case.filed_on),
    Column(_("Due on"), lambda case: case.due_on),
    Column(_("Status"), lambda case: case.get_status_display()),
    Column(_("Closed on"), lambda case: case.closed_on),
)


def cases(scope: Scope) -> QuerySet[EnforcementCase]:
    return scope.restrict(EnforcementCase.objects.select_related("court", "judge"))


def filed(scope: Scope) -> QuerySet[EnforcementCase]:
    return scope.in_period(cases(scope), "filed_on").order_by("filed_on", "pk")


def _concluded_in(scope: Scope) -> Q:
    return Q(status=CONCLUDED, closed_on__gte=scope.start, closed_on__lte=scope.end)


def concluded(scope: Scope) -> QuerySet[EnforcementCase]:
    """Cases concluded (结案) with a closing date in the period."""
    return cases(scope).filter(_concluded_in(scope)).order_by("closed_on", "pk")


# --- Clearance rate (结案率) -------------------------------------------------------------------


def clearance_base(scope: Scope) -> QuerySet[EnforcementCase]:
    """The cases the period had to deal with: open at its start (filed before it and not
    concluded before it) or filed in it; those concluded in the period first."""
    return (
        cases(scope)
        .filter(filed_on__lte=scope.end)
        .exclude(status=CONCLUDED, closed_on__lt=scope.start)
        .annotate(concluded_in_period=ExpressionWrapper(_concluded_in(scope), BooleanField()))
        .order_by("-concluded_in_period", "filed_on", "pk")
    )


CLEARANCE_COLUMNS = (
    *CASE_COLUMNS,
    Column(
        _("Concluded in period"),
        lambda case: gettext("Yes") if case.concluded_in_period else gettext("No"),
    ),
)


def clearance_rate(scope: Scope) -> Number:
    """Concluded in the period ÷ its base × 100, one decimal; ``None`` with no base."""
    counts = clearance_base(scope).aggregate(
        base=Count("pk"), concluded=Count("pk", filter=_concluded_in(scope))
    )
    if not counts["base"]:
        return None
    return one_decimal(Decimal(counts["concluded"] * 100) / counts["base"])


# --- Time to conclude (结案用时) ---------------------------------------------------------------

# Days from filing to closing: PostgreSQL's date - date is a whole number of days.
DAYS = Func(
    F("closed_on"),
    F("filed_on"),
    template="(%(expressions)s)",
    arg_joiner=" - ",
    output_field=IntegerField(),
)


def durations(scope: Scope) -> QuerySet[EnforcementCase]:
    """The cases concluded in the period, each with its ``days`` from filing to closing."""
    return concluded(scope).annotate(days=DAYS)


DURATION_COLUMNS = (*CASE_COLUMNS, Column(_("Days"), lambda case: case.days))


def duration_average(scope: Scope) -> Number:
    average = Avg("days", output_field=DecimalField(max_digits=12, decimal_places=4))
    return one_decimal(durations(scope).aggregate(average=average)["average"])


def duration_median(scope: Scope) -> Number:
    median = Median("days", output_field=FloatField())
    return one_decimal(durations(scope).aggregate(median=median)["median"])


# --- The state today ---------------------------------------------------------------------------


def overdue(scope: Scope) -> QuerySet[EnforcementCase]:
    return overdue_cases(cases(scope), scope.today).order_by("due_on", "pk")


def due_soon(scope: Scope) -> QuerySet[EnforcementCase]:
    return due_soon_cases(cases(scope), scope.today).order_by("due_on", "pk")


def needing_consultation(scope: Scope) -> QuerySet[EnforcementCase]:
    return cases_needing_consultation(cases(scope), scope.today).order_by("filed_on", "pk")


def awaiting_meeting(scope: Scope) -> QuerySet[EnforcementCase]:
    return cases_awaiting_meeting(cases(scope)).order_by("filed_on", "pk")


# --- Trend -------------------------------------------------------------------------------------


def monthly_counts(records: QuerySet, field: str, months: list) -> list[int]:
    """How many ``records`` fall in each of ``months`` by ``field`` (a date), zero-filled;
    one query."""
    rows = (
        records.order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return zero_filled(dict(rows), months)


def trend(scope: Scope) -> ChartData:
    """Cases filed and concluded per month: whole months from the first charted one (at least
    twelve) to the period's end, counted by the same rules as the tiles."""
    months = scope.months(at_least=12)
    charted = replace(scope, start=months[0])
    return ChartData(
        labels=month_labels(months),
        series=[
            Series(_("Cases filed"), monthly_counts(filed(charted), "filed_on", months)),
            Series(_("Cases concluded"), monthly_counts(concluded(charted), "closed_on", months)),
        ],
    )


register(
    Tile(
        "cases.filed",
        Group.CASES,
        _("Cases filed"),
        filed,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        help=_("Cases filed in the period (收案)."),
    ),
    Tile(
        "cases.concluded",
        Group.CASES,
        _("Cases concluded"),
        concluded,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        help=_("Cases concluded with a closing date in the period (结案)."),
    ),
    Tile(
        "cases.clearance_rate",
        Group.CASES,
        _("Clearance rate"),
        clearance_base,
        CLEARANCE_COLUMNS,
        value=clearance_rate,
        unit=Unit.PERCENT,
        permission=VIEW_CASES,
        help=_(
            "Cases concluded in the period ÷ (cases open at its start + cases filed in it) "
            "× 100 (结案率). The list is that base; the concluded ones come first."
        ),
    ),
    Tile(
        "cases.duration_avg",
        Group.CASES,
        _("Average days to conclude"),
        durations,
        DURATION_COLUMNS,
        value=duration_average,
        unit=Unit.DAYS,
        permission=VIEW_CASES,
        help=_("Mean days from filing to closing of the cases concluded in the period."),
    ),
    Tile(
        "cases.duration_median",
        Group.CASES,
        _("Median days to conclude"),
        durations,
        DURATION_COLUMNS,
        value=duration_median,
        unit=Unit.DAYS,
        permission=VIEW_CASES,
        help=_("Median days from filing to closing of the cases concluded in the period."),
    ),
    Tile(
        "cases.overdue",
        Group.CASES,
        _("Overdue cases"),
        overdue,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        snapshot=True,
        alert=True,
        help=_("Open cases past their time limit today (超期)."),
    ),
    Tile(
        "cases.due_soon",
        Group.CASES,
        _("Cases due soon"),
        due_soon,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        snapshot=True,
        help=_("Open cases whose time limit falls within the warning window (临近到期)."),
    ),
    Tile(
        "cases.needs_consultation",
        Group.CASES,
        _("Cases needing a consultation"),
        needing_consultation,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        snapshot=True,
        help=_("Open cases with no consultation (约谈) within the policy period."),
    ),
    Tile(
        "cases.needs_joint_meeting",
        Group.CASES,
        _("Cases awaiting the joint meeting"),
        awaiting_meeting,
        CASE_COLUMNS,
        permission=VIEW_CASES,
        snapshot=True,
        help=_(
            "Open cases flagged for the joint meeting (联席会议) with no decision approving or "
            "rejecting yet; a deferred item still waits."
        ),
    ),
)
register(
    Chart(
        "cases.trend",
        Group.CASES,
        _("Cases filed and concluded"),
        trend,
        permission=VIEW_CASES,
        kind="line",
    )
)
