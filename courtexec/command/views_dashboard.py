"""The command centre's pages (执行指挥中心): the tiles and charts, the big screen, a tile's
drill-down. Thin: the figures come from ``selectors``, the period and court from ``CommandForm``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casefunds.models import yuan
from courtexec.command.forms import CommandForm
from courtexec.command.selectors import (
    TileFigure,
    chart_figures,
    tile_figures,
    visible_tile,
)
from courtexec.command.templatetags.command import cell
from courtexec.command.tiles import Chart, ChartData, Part, Scope, Unit

PERMISSION = "command.view_command_centre"
PAGE_SIZE = 50

# The command centre's other pages: (URL name, label, permission).
PAGES = (
    ("command:workload", _("Workload by judge"), "command.view_workload"),  # 办案工作量
    ("command:campaigns", _("Campaigns"), "enforcement.view_campaign"),  # 专项执行活动
    ("command:reports", _("Monthly reports"), "command.view_monthlyreport"),  # 执行工作月报
    ("command:exports", _("My exports"), "command.view_exportjob"),
)


def _url(name: str, query: dict[str, str] | None = None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Preset:
    label: str
    start: dt.date
    end: dt.date


def presets(today: dt.date) -> list[Preset]:
    """The period shortcuts; the current month, quarter and year run up to today."""
    month = today.replace(day=1)
    quarter = month.replace(month=(today.month - 1) // 3 * 3 + 1)
    return [
        Preset(_("This month"), month, today),
        Preset(_("Last month"), month - relativedelta(months=1), month - dt.timedelta(days=1)),
        Preset(_("This quarter"), quarter, today),
        Preset(_("This year"), today.replace(month=1, day=1), today),
        Preset(_("Last 12 months"), today - relativedelta(years=1) + dt.timedelta(days=1), today),
    ]


@dataclass(frozen=True)
class Card:
    """One tile as a page shows it."""

    figure: TileFigure
    parts: list[Part]
    href: str

    @property
    def tile(self):
        return self.figure.tile

    @property
    def rising_is_bad(self) -> bool:
        return self.figure.tile.alert


def _chart_json(chart: Chart, data: ChartData) -> dict:
    """What ``static/js/command_charts.js`` draws: money in yuan, rates and days as numbers."""

    def number(value, unit: Unit):
        if value is None:
            return None
        return float(yuan(int(value))) if unit == Unit.MONEY else float(Decimal(str(value)))

    return {
        "kind": chart.kind,
        "labels": data.labels,
        "series": [
            {
                "label": str(series.label),
                "unit": str(series.unit),
                "values": [number(value, series.unit) for value in series.values],
            }
            for series in data.series
        ],
    }


def _form(request: HttpRequest) -> CommandForm:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return CommandForm(request.GET, user=request.user)


def _cards(figures: list[TileFigure], scope: Scope, query: dict[str, str]):
    """The tiles grouped by ``Group`` (in the registry's order): [(label, [Card, ...]), ...]."""
    cards = [
        Card(
            figure,
            figure.tile.breakdown(scope) if figure.tile.breakdown else [],
            f"{reverse('command:tile', args=[figure.tile.key])}?{urlencode(query)}",
        )
        for figure in figures
    ]
    return [
        (group.label, list(members))
        for group, members in itertools.groupby(cards, key=lambda card: card.tile.group)
    ]


def _figures_context(request: HttpRequest, form: CommandForm) -> dict:
    scope = form.scope()
    query = form.query()
    previous = scope.previous()
    return {
        "scope": scope,
        "previous": previous,
        "query": query,
        "querystring": urlencode(query),
        "groups": _cards(tile_figures(request.user, scope), scope, query),
    }


def _page_context(request: HttpRequest, form: CommandForm) -> dict:
    """What the dashboard shows around the tiles: the form, presets, court choice, links."""
    court = form.data.get("court") or ""
    today = form.today
    links = []
    for preset in presets(today):
        params = {"from": preset.start.isoformat(), "to": preset.end.isoformat()}
        if court:
            params["court"] = court
        links.append((preset, urlencode(params)))
    query = form.query() if form.is_valid() else None
    return {
        "form": form,
        "presets": links,
        "pages": [
            (label, _url(name, query))
            for name, label, permission in PAGES
            if request.user.has_perm(permission)
        ],
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context = _page_context(request, form)
    if not form.is_valid():
        return render(request, "command/dashboard.html", context, status=400)
    context |= _figures_context(request, form)
    context["active_preset"] = next(
        (
            preset
            for preset, _params in context["presets"]
            if (preset.start, preset.end) == (context["scope"].start, context["scope"].end)
        ),
        None,
    )
    context["charts"] = [
        (chart, f"chart-{chart.key}", _chart_json(chart, data))
        for chart, data in chart_figures(request.user, context["scope"])
    ]
    return render(request, "command/dashboard.html", context)


@login_required
@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    """The big screen (指挥大屏): the same tiles, figures only, refreshing itself."""
    return _wall(request, "command/wall.html")


@login_required
@require_GET
def wall_tiles(request: HttpRequest) -> HttpResponse:
    """The big screen's tiles alone, fetched by htmx every ``COMMAND_WALL_REFRESH_SECONDS``."""
    return _wall(request, "command/_wall_tiles.html")


def _wall(request: HttpRequest, template: str) -> HttpResponse:
    form = _form(request)
    context = {"form": form, "refresh": settings.COMMAND_WALL_REFRESH_SECONDS}
    if not form.is_valid():
        return render(request, template, context, status=400)
    context |= _figures_context(request, form)
    return render(request, template, context)


@login_required
@require_GET
def tile(request: HttpRequest, key: str) -> HttpResponse:
    """A tile's records in the same scope (``?previous=1``: the previous period's), with the
    figure they make, a page at a time, and the export button."""
    form = _form(request)
    found = visible_tile(request.user, key)
    context: dict = {"form": form, "tile": found}
    if not form.is_valid():
        return render(request, "command/drilldown.html", context, status=400)
    current = form.scope()
    showing_previous = request.GET.get("previous") in ("1", "true")
    scope = current.previous() if showing_previous else current
    query = form.query()
    page = Paginator(found.records(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    columns = found.columns
    context |= {
        "value": found.measure(scope),
        "parts": found.breakdown(scope) if found.breakdown else [],
        "scope": scope,
        "current": current,
        "showing_previous": showing_previous,
        "query": query,
        "querystring": urlencode(query | ({"previous": "1"} if showing_previous else {})),
        "page": page,
        "columns": columns,
        "rows": [
            [
                (
                    cell(column.value(record), column.unit),
                    column.link(record) if column.link else "",
                    column.unit == Unit.MONEY,
                )
                for column in columns
            ]
            for record in page.object_list
        ],
        "current_url": f"?{urlencode(query)}",
        "previous_url": f"?{urlencode(query | {'previous': '1'})}",
        "export_url": reverse("command:export-request"),
    }
    return render(request, "command/drilldown.html", context)
