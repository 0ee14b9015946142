"""Forms shared by the apps' pages and API."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtexec.models import Delivery
from courtexec.selectors import PreferenceRow


class PeriodForm(forms.Form):
    """The period of a figures page or API: ``from`` and ``to``, inclusive local days.

    Subclasses say how a missing end is filled (``fill``) and how long a period may be
    (``max_months``); pages and API share the subclass, so both doors answer the same field
    errors (``out_of_range``, ``reversed``, ``too_long``).
    """

    EARLIEST = dt.date(1990, 1, 1)
    LATEST = dt.date(2999, 12, 31)
    max_months = 60

    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None:  # the query string says from= and to=
            data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, **kwargs)

    def fill(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        """The period when one or both ends are missing."""
        raise NotImplementedError

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        for field, day in (("start", start), ("end", end)):
            if day is not None and not self.EARLIEST <= day <= self.LATEST:
                message = _("Enter a day from %(earliest)s to %(latest)s.") % {
                    "earliest": self.EARLIEST.isoformat(),
                    "latest": self.LATEST.isoformat(),
                }
                self.add_error(field, ValidationError(message, code="out_of_range"))
        if self.errors:
            return cleaned
        if start is None or end is None:
            start, end = self.fill(start, end)
        if start > end:
            message = _("The end of the period cannot precede its start.")
            self.add_error("end", ValidationError(message, code="reversed"))
        elif start + relativedelta(months=self.max_months) <= end:
            message = _("Choose a period of at most %(months)d months.") % {
                "months": self.max_months
            }
            self.add_error("end", ValidationError(message, code="too_long"))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]

    def api_errors(self) -> dict[str, list]:
        """The field errors as DRF error details under the query's names (``from``, ``to``)."""
        from rest_framework.exceptions import ErrorDetail

        names = {"start": "from", "end": "to"}
        return {
            names.get(field, field): [
                ErrorDetail(message, code=error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
            for field, errors in self.errors.as_data().items()
        }


class PreferencesForm(forms.Form):
    """The preferences matrix: one set of channel checkboxes per category."""

    def __init__(self, *args, rows: list[PreferenceRow], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.category] = forms.MultipleChoiceField(
                label=row.label,
                choices=Delivery.Channel.choices,
                required=False,
                initial=row.channels,
                widget=forms.CheckboxSelectMultiple,
            )
