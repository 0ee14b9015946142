"""Template filters of the command centre: a figure shown by its unit, a drill-down cell.

The pages and the wall format figures here; the API gives raw numbers (money in fen).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from casefunds.models import yuan
from courtexec.command.tiles import Number, Unit

register = template.Library()

# Bootstrap badge classes of a breakdown part's colour (the idle tiers' colours).
PART_BADGES = {"orange": "badge-orange"}


def _one_place(value: Number) -> str:
    return f"{Decimal(str(value)):,.1f}"


@register.filter
def figure(value: Number, unit: str) -> str:
    """A tile's figure: "1,234", "¥1,234.56" (money in fen), "12.5%", "3.5 days"; "—" when
    there is none (a rate without a base)."""
    if value is None or value == "":
        return "—"
    if unit == Unit.MONEY:
        return f"¥{yuan(int(value)):,}"
    if unit == Unit.PERCENT:
        return f"{_one_place(value)}%"
    if unit == Unit.DAYS:
        return _("%(days)s days") % {"days": _one_place(value)}
    return f"{int(value):,}"


@register.filter
def change(value: Number, unit: str) -> str:
    """The change from the previous period, signed ("+¥1,000.00", "−3"); a rate's change is
    in percentage points (百分点)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    if unit == Unit.PERCENT:
        return sign + _("%(points)s pp") % {"points": _one_place(abs(value))}
    return sign + figure(abs(value), unit)


@register.filter
def cell(value, unit: str | None = None) -> str:
    """One cell of a drill-down list: money in fen as yuan, days and times in local time."""
    if value is None:
        return ""
    if unit == Unit.MONEY:
        return f"{yuan(int(value)):,}"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "✓" if value else "—"
    return str(value)


@register.filter
def part_badge(colour: str) -> str:
    """The badge class of a breakdown part's Bootstrap colour name."""
    return PART_BADGES.get(colour) or f"text-bg-{colour or 'secondary'}"
