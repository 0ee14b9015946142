"""The figures page of the dishonest-debtor list (失信名单统计): thin, reads ``selectors.figures``.

The period form is shared with the API (``/api/v1/debtors/figures/``), so both doors answer the
same field errors.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from courtexec.forms import PeriodForm as BasePeriodForm
from debtors import selectors

FIGURES_PERMISSION = "debtors.view_blacklistentry"


class PeriodForm(BasePeriodForm):
    """``from`` and ``to`` (inclusive); by default the current year up to today."""

    max_months = selectors.MAX_FIGURE_MONTHS

    def fill(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        end = end or timezone.localdate()
        return start or end.replace(month=1, day=1), end


def chart_data(figures: selectors.Figures) -> dict:
    """What ``static/js/debtors_figures.js`` draws: counts as bars, the rate as a line."""
    return {
        "labels": [m.start.strftime("%Y-%m") for m in figures.months],
        "series": [
            {"key": key, "label": str(label), "values": [getattr(m, key) for m in figures.months]}
            for key, label in SERIES
        ],
        "rate": {
            "label": str(_("Inclusion rate (%)")),
            "values": [
                None if m.inclusion_rate is None else float(m.inclusion_rate)
                for m in figures.months
            ],
        },
    }


SERIES = [
    ("listings", gettext_lazy("Listings")),
    ("deletions", gettext_lazy("Deletions")),
    ("restrictions_issued", gettext_lazy("Restrictions issued")),
    ("restrictions_lifted", gettext_lazy("Restrictions lifted")),
]


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(FIGURES_PERMISSION):
        raise PermissionDenied
    form = PeriodForm(request.GET if request.GET else None)
    context: dict = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "debtors/figures.html", context, status=400)
    if form.is_bound:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        end = timezone.localdate()
        start = end.replace(month=1, day=1)
        form = PeriodForm(initial={"start": start, "end": end})
    numbers = selectors.figures(user=request.user, start=start, end=end)
    context |= {
        "form": form,
        "figures": numbers,
        "start": start,
        "end": end,
        "chart": chart_data(numbers),
        "tiles": [
            ("listings", _("Listings"), numbers.total.listings),
            ("deletions", _("Deletions"), numbers.total.deletions),
            ("corrections", _("Corrections"), numbers.total.corrections),
            ("restrictions_issued", _("Restrictions issued"), numbers.total.restrictions_issued),
            ("restrictions_lifted", _("Restrictions lifted"), numbers.total.restrictions_lifted),
        ],
    }
    return render(request, "debtors/figures.html", context)
