"""Forms of the tip pages. They check the input's shape; ``debtors.services`` holds the rules.

The public form carries two CAPTCHA-free abuse checks of its own: a honeypot field people never
see (robots fill it) and a signed timestamp of when the form was shown (a person takes at least
``DEBTORS_TIP_MIN_FILL_SECONDS`` to fill it in). The per-address rate limit is the view's.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.models import Court
from debtors import selectors
from debtors.models import AssetClass, Finding, Freeze, Tip
from enforcement.forms import BootstrapForm, DateTimeInput, label
from enforcement.models import CaseParty, EnforcementCase

STARTED_SALT = "debtors.tip-form.started"
STARTED_MAX_AGE = 24 * 3600  # a form left open a whole day is shown again


def started_token() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


class TipFieldsForm(BootstrapForm):
    """What a tip says, whoever takes it down."""

    debtor_name = forms.CharField(label=label(Tip, "debtor_name"), max_length=200)
    debtor_id_number = forms.CharField(
        label=label(Tip, "debtor_id_number"),
        max_length=18,
        required=False,
        help_text=_("Optional: a resident ID number or an organisation's credit code."),
    )
    details = forms.CharField(
        label=label(Tip, "details"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example: a car, a flat, a shop's takings, a bank account."),
    )
    location = forms.CharField(label=label(Tip, "location"), max_length=300, required=False)
    contact_name = forms.CharField(label=label(Tip, "contact_name"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=label(Tip, "contact_phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photo = forms.FileField(
        label=label(Tip, "photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Optional: one JPEG, PNG or WebP photo."),
    )

    def service_arguments(self) -> dict:
        names = ["debtor_name", "debtor_id_number", "details", "location", "contact_name",
                 "contact_phone", "photo"]  # fmt: skip
        return {name: self.cleaned_data.get(name) or ("" if name != "photo" else None)
                for name in names}  # fmt: skip


class PublicTipForm(TipFieldsForm):
    """The public form: the court to tell, a honeypot and the signed time it was shown."""

    size = "lg"
    field_order = ["court", "debtor_name", "debtor_id_number", "details", "location",
                   "contact_name", "contact_phone", "photo"]  # fmt: skip

    court = forms.ModelChoiceField(
        label=_("Court"), queryset=Court.objects.none(), empty_label=None
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def setup(self) -> None:
        courts: QuerySet[Court] = selectors.tip_courts()
        self.fields["court"].queryset = courts
        self.fields["court"].initial = courts.first()
        if courts.count() <= 1:
            self.fields["court"].widget = forms.HiddenInput()
        self.fields["started"].initial = started_token()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Your tip could not be accepted."), code="honeypot")
        try:
            started = signing.loads(
                self.data.get("started", ""), salt=STARTED_SALT, max_age=STARTED_MAX_AGE
            )
        except signing.BadSignature as exc:
            raise ValidationError(
                _("The form has expired. Please fill it in again."), code="expired"
            ) from exc
        if time.time() - float(started) < settings.DEBTORS_TIP_MIN_FILL_SECONDS:
            raise ValidationError(
                _("The form was sent too quickly. Please check it and send it again."),
                code="too_fast",
            )
        return data

    def refresh_started(self) -> None:
        """A form shown again starts its clock again."""
        self.data = self.data.copy()
        self.data["started"] = started_token()


class HotlineTipForm(TipFieldsForm):
    """Staff log a call to the 24-hour hotline."""

    prefix = "hotline"
    received_at = forms.DateTimeField(
        label=label(Tip, "received_at"), widget=DateTimeInput, initial=timezone.now
    )

    def setup(self) -> None:
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AssignTipForm(BootstrapForm):
    """A chief or the investigation group routes an unroutable tip to a case by hand."""

    prefix = "assign"
    case = forms.ModelChoiceField(label=_("Case"), queryset=EnforcementCase.objects.none())
    respondent = forms.ModelChoiceField(
        label=_("Respondent"),
        queryset=CaseParty.objects.none(),
        required=False,
        help_text=_("Needed only when the case has several respondents."),
    )

    def setup(self) -> None:
        court = self.user.court if self.user else None
        cases = EnforcementCase.objects.filter(court=court).exclude(
            status=EnforcementCase.Status.CONCLUDED
        )
        self.fields["case"].queryset = cases.order_by("-filed_on", "-pk")
        self.fields["respondent"].queryset = (
            CaseParty.objects.filter(case__in=cases, role=CaseParty.Role.RESPONDENT)
            .select_related("party", "case")
            .order_by("case__number", "pk")
        )
        self.fields["respondent"].label_from_instance = lambda link: (
            f"{link.case.number} · {link.party.name}"
        )


class TipOutcomeForm(BootstrapForm):
    """What checking the lead showed; property found links to an investigation or property."""

    prefix = "outcome"
    outcome = forms.ChoiceField(label=label(Tip, "outcome"), choices=Tip.Outcome.choices)
    note = forms.CharField(
        label=label(Tip, "outcome_note"), widget=forms.Textarea(attrs={"rows": 3})
    )
    asset_classes = forms.MultipleChoiceField(
        label=_("Ask the investigation group to search"),
        choices=AssetClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    finding = forms.ModelChoiceField(
        label=_("Or link a finding"), queryset=Finding.objects.none(), required=False
    )
    freeze = forms.ModelChoiceField(
        label=_("Or link a freeze or seizure"), queryset=Freeze.objects.none(), required=False
    )
    service_fields = {"status": "outcome"}

    def __init__(self, *args, tip: Tip, **kwargs):
        self.tip = tip
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        tip = self.tip
        self.fields["finding"].queryset = Finding.objects.filter(
            search__court=tip.court, search__party=tip.matched_party
        ).select_related("search")
        self.fields["freeze"].queryset = Freeze.objects.filter(case=tip.case).select_related(
            "finding"
        )


def style_tip_filters(form: forms.Form) -> forms.Form:
    """The board's filter form (the shared ``TipFilterSet``'s), dressed for Bootstrap."""
    from enforcement.forms import DateInput, _style

    for name in ("received_after", "received_before"):
        form.fields[name].widget = DateInput()
    for name in ("overdue", "unrouted", "mine"):
        form.fields[name].widget.choices = [("unknown", _("Any")), ("true", _("Yes")),
                                            ("false", _("No"))]  # fmt: skip
    search = form.fields["q"]
    search.widget.attrs.update({"type": "search", "placeholder": search.help_text})
    for field in form.fields.values():
        _style(field.widget, "sm")
    return form
