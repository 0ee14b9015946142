"""Forms of the roster pages: choices limited to the court's people of the right role."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtexec.models import Court, User
from courtexec.roles import Role
from standby.models import Rotation, Shift, StandbyTeam
from standby.services import PLACES

LABELS = {
    "leader": gettext_lazy("Bureau leader"),
    "judge": gettext_lazy("Enforcement judge"),
    "police": gettext_lazy("Judicial police"),
}


def people_with(court: Court, role: Role):
    return User.objects.filter(court=court, is_active=True, groups__name=role.value).order_by(
        "display_name", "username"
    )


def styled(form: forms.Form) -> None:
    """Bootstrap classes on every widget (the templates render ``{{ field }}``)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


class PeopleMixin:
    def add_people(self, court: Court) -> None:
        for place, role in PLACES.items():
            self.fields[place] = forms.ModelChoiceField(
                label=LABELS[place], queryset=people_with(court, role)
            )


class TeamForm(PeopleMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args, court: Court, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_people(court)
        self.order_fields(["name", "leader", "judge", "police", "active"])
        styled(self)


class RotationForm(forms.Form):
    """One position box per active team: numbered teams take turns in that order."""

    shift_hours = forms.IntegerField(
        label=gettext_lazy("Shift length (hours)"), min_value=1, max_value=168, initial=24
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First shift on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Shift start time"),
        initial=dt.time(8, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, court: Court, rotation: Rotation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.teams = list(StandbyTeam.objects.filter(court=court, active=True))
        order = {}
        if rotation is not None:
            order = {slot.team_id: slot.position for slot in rotation.slots.all()}
            self.initial.update(
                shift_hours=rotation.shift_hours,
                starts_on=rotation.starts_on,
                start_time=rotation.start_time,
            )
        for team in self.teams:
            self.fields[f"team_{team.pk}"] = forms.IntegerField(
                label=team.name, required=False, min_value=1, max_value=100,
                initial=order.get(team.pk),
            )  # fmt: skip
        styled(self)

    def team_fields(self):
        return [self[f"team_{team.pk}"] for team in self.teams]

    def clean(self) -> dict:
        cleaned = super().clean()
        positions = [
            (cleaned.get(f"team_{team.pk}"), team)
            for team in self.teams
            if cleaned.get(f"team_{team.pk}") is not None
        ]
        numbers = [n for n, _team in positions]
        if not positions:
            raise forms.ValidationError(_("Number at least one team."))
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("Give each team a different number."))
        cleaned["teams"] = [team for _n, team in sorted(positions, key=lambda p: p[0])]
        return cleaned


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OverrideForm(PeopleMixin, forms.Form):
    starts_at = LocalDateTimeField(label=gettext_lazy("From"))
    ends_at = LocalDateTimeField(label=gettext_lazy("Until"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def __init__(self, *args, court: Court, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_people(court)
        self.order_fields(["starts_at", "ends_at", "leader", "judge", "police", "reason"])
        styled(self)


def shift_label(shift: Shift) -> str:
    start = timezone.localtime(shift.starts_at)
    return f"{start:%Y-%m-%d %H:%M} · {shift.leader} / {shift.judge} / {shift.police}"


class ShiftChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Shift) -> str:
        return shift_label(obj)


class SwapForm(forms.Form):
    counterpart = forms.ModelChoiceField(label=gettext_lazy("Ask"), queryset=User.objects.none())
    counterpart_shift = ShiftChoiceField(
        label=gettext_lazy("In exchange for their shift"),
        queryset=Shift.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty to ask for a one-way cover."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, user: User, shift: Shift, place: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = people_with(shift.court, PLACES[place]).exclude(pk=user.pk)
        self.fields["counterpart"].queryset = others
        now = timezone.now()
        future = Shift.objects.filter(
            court=shift.court, starts_at__gt=now, starts_at__lt=now + dt.timedelta(weeks=12)
        )
        self.fields["counterpart_shift"].queryset = (
            future.exclude(pk=shift.pk)
            .filter(**{f"{place}__in": others})
            .select_related("leader", "judge", "police")
            .order_by("starts_at")
        )
        styled(self)
