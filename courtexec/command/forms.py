"""The command centre's period and court selector, shared by its pages and the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.command.selectors import choosable_courts, scope_for
from courtexec.command.tiles import Scope
from courtexec.forms import PeriodForm


class CommandForm(PeriodForm):
    """``from``, ``to`` (default: the year so far) and ``court`` (default: every court the
    person sees; a higher court's figures cover the courts below it)."""

    max_months = 36

    court = forms.ModelChoiceField(
        label=_("Court"), queryset=None, required=False, empty_label=_("All my courts")
    )

    def __init__(self, data=None, *, user, today: dt.date | None = None, **kwargs) -> None:
        self.user = user
        self.today = today or timezone.localdate()
        court = (data or {}).get("court", "")
        super().__init__(data, **kwargs)
        if self.is_bound:
            self.data = {**self.data, "court": court}
        self.fields["court"].queryset = choosable_courts(user)

    def fill(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        end = end or (self.today if start is None or start <= self.today else start)
        return start or end.replace(month=1, day=1), end

    def scope(self) -> Scope:
        start, end = self.period()
        return scope_for(self.user, self.cleaned_data.get("court"), start, end, self.today)

    def query(self) -> dict[str, str]:
        """The cleaned choice as query parameters (for links to drill-downs and exports)."""
        start, end = self.period()
        court = self.cleaned_data.get("court")
        params = {"from": start.isoformat(), "to": end.isoformat()}
        if court is not None:
            params["court"] = str(court.pk)
        return params
