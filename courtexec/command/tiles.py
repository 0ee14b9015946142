"""The command centre's building blocks: a scope (courts and period), tiles and charts.

A tile is one figure with the records behind it. ``records(scope)`` is the queryset its
drill-down lists and exports; the figure is ``value(scope)``, by default the number of those
records, so the list and the figure cannot disagree. Each app's tiles live in ``figures/<app>.py``
and call that app's selectors: the command centre adds no business rule of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courtexec.visibility import court_field_of

Number = int | Decimal | None


class Unit(StrEnum):
    COUNT = "count"
    MONEY = "money"  # fen; shown as yuan
    PERCENT = "percent"  # 0–100, one decimal
    DAYS = "days"  # one decimal


class Group(StrEnum):
    """The tile rows of the command centre, in order."""

    CASES = "cases"
    FUNDS = "funds"
    DEBTORS = "debtors"
    STANDBY = "standby"
    VEHICLES = "vehicles"
    TIPS = "tips"

    @property
    def label(self) -> str | Promise:
        return GROUP_LABELS[self]


GROUP_LABELS = {
    Group.CASES: _("Cases"),  # 案件
    Group.FUNDS: _("Case funds"),  # 执行案款
    Group.DEBTORS: _("Debtors and restrictions"),  # 失信与限制消费
    Group.STANDBY: _("Standby"),  # 值班备勤
    Group.VEHICLES: _("Vehicles"),  # 扣押车辆
    Group.TIPS: _("Tips"),  # 举报线索
}


@dataclass(frozen=True)
class Scope:
    """Which courts and which days a figure covers.

    ``court_ids`` is ``None`` for every court (a system administrator's view). ``today`` is the
    day "now" figures (overdue, in custody, on duty) are read on.
    """

    court_ids: frozenset[int] | None
    start: dt.date
    end: dt.date
    today: dt.date

    def restrict(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` narrowed to the scope's courts (the visibility rule's lookups)."""
        if self.court_ids is None:
            return queryset
        custom = getattr(queryset.model, "restrict_to_courts", None)
        if custom is not None:
            return custom(queryset, set(self.court_ids))
        return queryset.filter(**{f"{court_field_of(queryset.model)}__in": self.court_ids})

    def in_period(self, queryset: QuerySet, field: str) -> QuerySet:
        """Rows whose ``field`` (a date, or a time read as a local day) falls in the period."""
        lookup = field if _is_date(queryset.model, field) else f"{field}__date"
        return queryset.filter(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Scope:
        """The period of the same length just before this one (for the comparison)."""
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def months(self, at_least: int = 1) -> list[dt.date]:
        """First days of the months the period touches, at least ``at_least`` ending with the
        period's last month (a chart of a short period still shows a trend)."""
        last = self.end.replace(day=1)
        first = min(self.start.replace(day=1), last - relativedelta(months=at_least - 1))
        months = []
        while first <= last:
            months.append(first)
            first += relativedelta(months=1)
        return months


def _is_date(model: type[Model], path: str) -> bool:
    from django.db.models import DateField, DateTimeField

    for name in path.split("__")[:-1]:
        model = model._meta.get_field(name).related_model
    found = model._meta.get_field(path.split("__")[-1])
    return isinstance(found, DateField) and not isinstance(found, DateTimeField)


@dataclass(frozen=True)
class Column:
    """One column of a drill-down list and its export: a header and how to read a record."""

    header: str | Promise
    value: Callable[[Any], Any]
    unit: Unit | None = None  # MONEY: fen shown as yuan, with the money number format in Excel
    link: Callable[[Any], str] | None = None  # the record's page, when it has one


@dataclass(frozen=True)
class Part:
    label: str | Promise
    value: Number
    amount: int | None = None  # fen, when the part has money as well as a count
    colour: str = ""  # a Bootstrap colour name (the idle tiers' colours)


@dataclass(frozen=True)
class Tile:
    key: str  # "cases.filed": stable, used in URLs, the API and stored reports
    group: Group
    label: str | Promise
    records: Callable[[Scope], QuerySet]
    columns: tuple[Column, ...]
    value: Callable[[Scope], Number] | None = None  # None: the number of records
    unit: Unit = Unit.COUNT
    permission: str = "command.view_command_centre"  # and the app's view permission here
    snapshot: bool = False  # the state today, not over the period: no previous-period figure
    alert: bool = False  # shown in red when not zero
    help: str | Promise = ""  # how it is counted, shown under the figure
    # Parts of the figure shown inside the tile (idle money by tier); the drill-down list has a
    # column telling the part of each record.
    breakdown: Callable[[Scope], list[Part]] | None = None

    def measure(self, scope: Scope) -> Number:
        if self.value is not None:
            return self.value(scope)
        return self.records(scope).count()


@dataclass(frozen=True)
class Series:
    label: str | Promise
    values: list[Number]
    unit: Unit = Unit.COUNT


@dataclass(frozen=True)
class ChartData:
    labels: list[str]
    series: list[Series]


@dataclass(frozen=True)
class Chart:
    """A trend over the months of the period (Chart.js line or bar)."""

    key: str
    group: Group
    label: str | Promise
    build: Callable[[Scope], ChartData]
    permission: str = "command.view_command_centre"
    kind: str = "bar"  # "bar" or "line"


@dataclass
class Registry:
    tiles: dict[str, Tile] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)

    def add(self, *items: Tile | Chart) -> None:
        for item in items:
            book = self.tiles if isinstance(item, Tile) else self.charts
            if item.key in book:
                raise ValueError(f"{item.key} is registered twice")
            book[item.key] = item

    def visible_tiles(self, user) -> list[Tile]:
        return _visible(self.tiles.values(), user)

    def visible_charts(self, user) -> list[Chart]:
        return _visible(self.charts.values(), user)


def _visible(items: Iterable, user) -> list:
    order = list(Group)
    allowed = [
        item
        for item in items
        if user.has_perm("command.view_command_centre") and user.has_perm(item.permission)
    ]
    return sorted(allowed, key=lambda item: order.index(item.group))


REGISTRY = Registry()
register = REGISTRY.add


# --- Small readers the apps' tiles share ---------------------------------------------------


def one_decimal(value: Decimal | float | None) -> Decimal | None:
    """A rate or a number of days as shown: one decimal, halves rounded up."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def yes_no(flag: bool) -> str:
    return gettext("Yes") if flag else gettext("No")


def month_labels(months: list[dt.date]) -> list[str]:
    return [f"{month:%Y-%m}" for month in months]


def zero_filled(counts: dict[dt.date, Number], months: list[dt.date]) -> list[Number]:
    """Figures keyed by month, in the chart's months; a month without any is 0."""
    return [counts.get(month, 0) for month in months]
