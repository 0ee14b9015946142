"""The period of the standby figures (``from`` and ``to``), shared by the board and the API so
both doors answer the same field errors."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.deadlines import add_months
from standby import selectors

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2999, 12, 31)


class PeriodForm(forms.Form):
    """``from`` and ``to`` (inclusive local days); by default this month."""

    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None:  # the query string says from= and to=
            data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        first, last = selectors.default_period()
        start, end = cleaned.get("start"), cleaned.get("end")
        for field, day in (("start", start), ("end", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                message = _("Enter a day from %(earliest)s to %(latest)s.") % {
                    "earliest": EARLIEST.isoformat(),
                    "latest": LATEST.isoformat(),
                }
                self.add_error(field, ValidationError(message, code="out_of_range"))
        if self.errors:
            return cleaned
        if start is None and end is None:
            start, end = first, last
        elif start is None:
            start = end.replace(day=1)
        elif end is None:
            end = add_months(start.replace(day=1), 1) - dt.timedelta(days=1)
        if start > end:
            message = _("The end of the period cannot precede its start.")
            self.add_error("end", ValidationError(message, code="reversed"))
        elif add_months(start, selectors.MAX_FIGURE_MONTHS) <= end:
            message = _("Choose a period of at most %(months)d months.") % {
                "months": selectors.MAX_FIGURE_MONTHS
            }
            self.add_error("end", ValidationError(message, code="too_long"))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]
