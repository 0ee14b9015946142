"""The monthly report (执行工作月报): its figures, how it reads, and its spreadsheet.

A report stores every tile's figure for one court and one calendar month as they stood when it
was made (``MonthlyReport.figures``), so it reads the same next year. Each figure is a dict::

    {"key": "cases.filed", "group": "cases", "label": "收案", "unit": "count",
     "value": 12, "previous": 9}

``value`` and ``previous`` are integers (counts; money in fen), decimal strings (percent and
days, to keep their one decimal exact) or null; ``previous`` is the previous calendar month's
figure, null for a snapshot tile (a state on the month's last day, not a flow over the month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from casefunds.models import yuan
from courtexec.command.models import MonthlyReport
from courtexec.command.selectors import choosable_courts, courts_seen_whole
from courtexec.command.tiles import REGISTRY, Group, Number, Scope, Unit
from courtexec.models import User
from enforcement.exports import MONEY_FORMAT, append_header


def month_scope(court_ids: frozenset[int], month: dt.date) -> Scope:
    """The calendar month of ``month``, read on its last day."""
    start = month.replace(day=1)
    end = start + relativedelta(months=1) - dt.timedelta(days=1)
    return Scope(court_ids, start, end, end)


def _stored(value: Number) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def month_figures(court_ids: frozenset[int], month: dt.date) -> list[dict]:
    """Every registered tile's figure over ``court_ids`` in ``month`` (whoever may see it: the
    report goes to the chiefs), with the previous calendar month's, labels in Chinese.

    Not ``selectors.evaluate``: its previous period has the period's length (30 days before a
    30-day month), while a report compares calendar months.
    """
    tiles = sorted(REGISTRY.tiles.values(), key=lambda tile: list(Group).index(tile.group))
    scope = month_scope(court_ids, month)
    before = month_scope(court_ids, scope.start - relativedelta(months=1))
    with translation.override("zh-hans"):
        return [
            {
                "key": tile.key,
                "group": str(tile.group),
                "label": str(tile.label),
                "unit": str(tile.unit),
                "value": _stored(tile.measure(scope)),
                "previous": None if tile.snapshot else _stored(tile.measure(before)),
            }
            for tile in tiles
        ]


def visible_reports(user: User) -> QuerySet[MonthlyReport]:
    """The reports ``user`` may read: a court's report totals the courts below it too, so it
    shows to those who see all of them (a higher court's president, not its judges)."""
    reports = MonthlyReport.objects.select_related("court")
    whole = courts_seen_whole(user)
    return reports if whole is None else reports.filter(court_id__in=whole)


# --- Reading a report -----------------------------------------------------------------------


def _number(stored: int | str | None) -> Number:
    return Decimal(stored) if isinstance(stored, str) else stored


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    unit: Unit
    value: Number
    previous: Number

    @property
    def change(self) -> Number:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


def sections(report: MonthlyReport) -> list[Section]:
    """The report's figures by group, in the command centre's order (a group of tiles added
    later than the report is simply absent)."""
    grouped: dict[str, list[Line]] = {}
    for figure in report.figures:
        line = Line(
            figure["key"],
            figure["label"],
            Unit(figure["unit"]),
            _number(figure["value"]),
            _number(figure["previous"]),
        )
        grouped.setdefault(figure["group"], []).append(line)
    return [Section(str(Group(group).label), lines) for group, lines in grouped.items()]


def report_title(report: MonthlyReport) -> str:
    return f"{report.court.name}执行工作月报（{report.month:%Y年%m月}）"


def report_workbook(report: MonthlyReport) -> Workbook:
    """One sheet: group, figure, unit, this month, last month, change; money in yuan."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.month:%Y-%m}"
    sheet.append([report_title(report)])
    append_header(
        sheet,
        [("分类", 16), ("指标", 30), ("单位", 8), ("本月", 16), ("上月", 16), ("增减", 16)],
    )
    units = {Unit.COUNT: "件", Unit.MONEY: "元", Unit.PERCENT: "%", Unit.DAYS: "天"}
    with translation.override("zh-hans"):
        for section in sections(report):
            for line in section.lines:
                numbers = [line.value, line.previous, line.change]
                if line.unit is Unit.MONEY:
                    numbers = [None if n is None else yuan(n) for n in numbers]
                sheet.append([section.title, line.label, units[line.unit], *numbers])
                if line.unit is Unit.MONEY:
                    for column in (4, 5, 6):
                        sheet.cell(row=sheet.max_row, column=column).number_format = MONEY_FORMAT
    return workbook


def report_filename(report: MonthlyReport) -> str:
    return f"执行工作月报-{report.court.name}-{report.month:%Y%m}.xlsx"


class ReportFilterSet(django_filters.FilterSet):
    """The reports list's filter, shared by the page and the API: court and year."""

    court = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Court"), widget=forms.Select(attrs={"class": "form-select"})
    )
    year = django_filters.NumberFilter(
        field_name="month",
        lookup_expr="year",
        label=_("Year"),
        min_value=1990,
        max_value=2999,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = MonthlyReport
        fields = ["court", "year"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["court"].queryset = choosable_courts(user)
