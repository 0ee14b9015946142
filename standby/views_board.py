"""The standby section's home (备勤): who is on duty now and next, open callouts, the links to
the roster and one's own shifts, and the figures with a chart. Thin: reads ``selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from standby import selectors
from standby.forms_board import PeriodForm

BOARD_PERMISSION = "standby.view_shift"

SERIES = [
    ("own", gettext_lazy("This court's cases")),
    ("assists", gettext_lazy("Assists for other courts")),
]


def _series(rows: list[selectors.CalloutFigures]) -> list[dict]:
    return [
        {
            "key": "own",
            "label": str(SERIES[0][1]),
            "values": [r.callouts - r.assists for r in rows],
        },
        {"key": "assists", "label": str(SERIES[1][1]), "values": [r.assists for r in rows]},
    ]


def chart_data(figures: selectors.StandbyFigures) -> dict:
    """What ``static/js/standby_figures.js`` draws: callouts stacked own / assists, by team and
    by month."""
    many_courts = len({team.court for team in figures.teams}) > 1
    return {
        "teams": {
            "labels": [
                f"{team.court} · {team.name}" if many_courts else team.name
                for team in figures.teams
            ],
            "series": _series([team.figures for team in figures.teams]),
        },
        "months": {
            "labels": [month.start.strftime("%Y-%m") for month in figures.months],
            "series": _series([month.figures for month in figures.months]),
        },
    }


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(BOARD_PERMISSION):
        raise PermissionDenied
    now = timezone.now()
    shift = selectors.on_duty_now(request.user, now)
    context: dict = {
        "now": now,
        "shift": shift,
        "next_shift": selectors.next_shift(request.user.court_id, shift.ends_at if shift else now)
        if request.user.court_id
        else None,
        "open_callouts": selectors.open_callouts(request.user).count(),
    }
    if not selectors.can_see_figures(request.user):
        return render(request, "standby/board.html", context)
    form = PeriodForm(request.GET if request.GET else None)
    context["form"] = form
    if form.is_bound and not form.is_valid():
        return render(request, "standby/board.html", context, status=400)
    if form.is_bound:
        start, end = form.period()
    else:
        start, end = selectors.default_period()
        form = PeriodForm(initial={"start": start, "end": end})
    numbers = selectors.figures(user=request.user, start=start, end=end, now=now)
    total = numbers.total
    context |= {
        "form": form,
        "figures": numbers,
        "chart": chart_data(numbers),
        "tiles": [
            ("callouts", _("Callouts"), total.callouts, ""),
            ("assist_share", _("Assists for other courts"), _pct(total.assist_share), ""),
            (
                "median_handover",
                _("Median catch to handover (min)"),
                _num(total.median_handover_minutes),
                "",
            ),
            ("on_time_share", _("Handed over by the deadline"), _pct(total.on_time_share), ""),
            ("handed_over_late", _("Handed over late"), total.handed_over_late, "late"),
            ("overdue", _("Past the deadline, not handed over"), total.overdue, "late"),
        ],
    }
    return render(request, "standby/board.html", context)


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _num(value) -> str:
    return "—" if value is None else str(value)
