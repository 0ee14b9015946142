"""The period of the standby figures (``from`` and ``to``), shared by the board and the API so
both doors answer the same field errors."""

from __future__ import annotations

import datetime as dt

from courtexec.forms import PeriodForm as BasePeriodForm
from enforcement.deadlines import add_months
from standby import selectors


class PeriodForm(BasePeriodForm):
    """``from`` and ``to`` (inclusive local days); by default this month."""

    max_months = selectors.MAX_FIGURE_MONTHS

    def fill(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        if start is None and end is None:
            return selectors.default_period()
        if start is None:
            return end.replace(day=1), end
        return start, add_months(start.replace(day=1), 1) - dt.timedelta(days=1)
