"""Forms of the callout pages: the intake of a police call, the handover and the outcome."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casefunds.services import parse_yuan
from courtexec.roles import Role
from enforcement.forms import BootstrapForm, court_staff, label
from enforcement.models import CoerciveMeasure
from standby.models import Callout


class ReportCalloutForm(BootstrapForm):
    """A member of staff logs the police's phone call."""

    police_station = forms.CharField(label=label(Callout, "police_station"), max_length=100)
    police_officer = forms.CharField(label=label(Callout, "police_officer"), max_length=50)
    police_phone = forms.CharField(label=label(Callout, "police_phone"), max_length=30)
    caught_at = forms.DateTimeField(
        label=label(Callout, "caught_at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    person_name = forms.CharField(label=label(Callout, "person_name"), max_length=100)
    person_id_number = forms.CharField(
        label=label(Callout, "person_id_number"), max_length=18, required=False
    )
    wanted_reference = forms.CharField(
        label=label(Callout, "wanted_reference"), max_length=100, required=False
    )
    requesting_court_name = forms.CharField(
        label=label(Callout, "requesting_court_name"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for this court's own case; otherwise an assist (异地协助)."),
    )
    requesting_court_code = forms.CharField(
        label=label(Callout, "requesting_court_code"), max_length=20, required=False
    )


class HandOverForm(BootstrapForm):
    taken_over_by = forms.ModelChoiceField(
        label=label(Callout, "handed_over_to"), queryset=None, required=False
    )
    place = forms.CharField(label=label(Callout, "handover_place"), max_length=200, required=False)

    def setup(self) -> None:
        self.fields["taken_over_by"].queryset = court_staff(self.user.court)
        self.fields["taken_over_by"].initial = self.user.pk


class OutcomeForm(BootstrapForm):
    outcome = forms.ChoiceField(label=label(Callout, "outcome"), choices=Callout.Outcome.choices)
    note = forms.CharField(
        label=label(Callout, "outcome_note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    amount = forms.CharField(
        label=_("Amount paid (yuan)"), max_length=20, required=False, help_text=_("For a payment.")
    )
    received_by = forms.ModelChoiceField(label=_("Received by"), queryset=None, required=False)
    second_officer = forms.ModelChoiceField(label=_("Counted with"), queryset=None, required=False)
    promise_due_on = forms.DateField(
        label=label(Callout, "promise_due_on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    measure = forms.ModelChoiceField(label=_("Existing detention"), queryset=None, required=False)
    detention_days = forms.IntegerField(
        label=_("Detention days (a new decision)"), min_value=1, max_value=15, required=False
    )
    transfer_recipient = forms.CharField(
        label=label(Callout, "transfer_recipient"), max_length=100, required=False
    )

    def __init__(self, *args, callout: Callout, **kwargs):
        self.callout = callout
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        finance = court_staff(self.user.court).filter(groups__name=Role.FINANCE.value)
        self.fields["received_by"].queryset = finance
        self.fields["second_officer"].queryset = finance
        self.fields["measure"].queryset = CoerciveMeasure.objects.filter(
            case_id=self.callout.matched_case_id, kind=CoerciveMeasure.Kind.DETENTION
        )

    def clean_amount(self) -> int:
        value = self.cleaned_data.get("amount", "").strip()
        if not value:
            return 0
        try:
            return parse_yuan(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
