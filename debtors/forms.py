"""Forms of the debtors screens: each validates its input and hands a service what it needs;
the service's errors (the law in ``debtors.rules``) come back on the form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debtors import rules
from debtors.models import (
    AssetClass,
    BlacklistEntry,
    CorrectionRequest,
    Freeze,
    RestrictionExemption,
    RestrictionOrder,
)
from enforcement.forms import BootstrapForm, label
from enforcement.models import CaseParty

DATE = forms.DateInput(attrs={"type": "date"})


class _RespondentForm(BootstrapForm):
    """A form whose ``respondent`` is one of the case's respondents."""

    respondent = forms.ModelChoiceField(label=_("Respondent"), queryset=CaseParty.objects.none())

    def setup(self) -> None:
        links = [p for p in self.case.parties.all() if p.role == CaseParty.Role.RESPONDENT]
        field = self.fields["respondent"]
        field.queryset = CaseParty.objects.filter(pk__in=[p.pk for p in links])
        field.label_from_instance = lambda link: link.party.name
        if len(links) == 1:
            field.initial = links[0].pk


# --- Property (财产查控) -----------------------------------------------------------------------


class InvestigationRequestForm(_RespondentForm):
    prefix = "investigation"

    asset_classes = forms.MultipleChoiceField(
        label=_("Asset classes"),
        choices=AssetClass.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[AssetClass.BANK_DEPOSIT],
    )
    force_reason = forms.CharField(
        label=_("Reason for new searches"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to reuse a search of the party made in the last days."),
    )


class FreezeForm(BootstrapForm):
    prefix = "freeze"

    kind = forms.ChoiceField(label=label(Freeze, "kind"), choices=Freeze.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: the whole balance or value found."),
    )
    from_date = forms.DateField(label=label(Freeze, "from_date"), required=False, widget=DATE)

    def setup(self) -> None:
        self.fields["from_date"].initial = timezone.localdate()


class DeductForm(BootstrapForm):
    prefix = "deduct"

    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )


# --- The dishonest-debtor list (失信被执行人名单) -------------------------------------------------


class ListingForm(_RespondentForm):
    prefix = "listing"

    grounds = forms.TypedMultipleChoiceField(
        label=_("Grounds (Art. 1)"),
        choices=rules.Ground.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(
        label=label(BlacklistEntry, "facts"), widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_number = forms.CharField(
        label=label(BlacklistEntry, "decision_number"), max_length=100
    )
    decided_on = forms.DateField(label=label(BlacklistEntry, "decided_on"), widget=DATE)
    applicant_request = forms.BooleanField(label=_("At the applicant's request"), required=False)
    # The officer's assessment for ground 1 (Art. 3).
    assessed_by = forms.CharField(
        label=label(BlacklistEntry, "assessed_by"),
        max_length=100,
        required=False,
        help_text=_("Ground 1 only: who assessed security and frozen property."),
    )
    assessed_on = forms.DateField(
        label=label(BlacklistEntry, "assessed_on"), required=False, widget=DATE
    )
    security_given = forms.BooleanField(
        label=label(BlacklistEntry, "security_given"), required=False
    )
    frozen_property_value = forms.DecimalField(
        label=_("Value of property frozen (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    assessment_note = forms.CharField(
        label=label(BlacklistEntry, "assessment_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def setup(self) -> None:
        super().setup()
        self.fields["decided_on"].initial = timezone.localdate()

    def clean(self) -> dict:
        data = super().clean()
        # An assessment, once begun, is recorded whole (the service weighs it for ground 1).
        if data.get("assessed_by", "").strip():
            if data.get("assessed_on") is None:
                self.add_error("assessed_on", _("Give the date of the assessment."))
            if data.get("frozen_property_value") is None:
                self.add_error(
                    "frozen_property_value", _("Give the value of the property frozen (0 if none).")
                )
        return data

    def assessment(self) -> rules.CoverageAssessment | None:
        data = self.cleaned_data
        if not data.get("assessed_by", "").strip():
            return None
        return rules.CoverageAssessment(
            assessed_by=data["assessed_by"].strip(),
            assessed_on=data["assessed_on"],
            security_given=data["security_given"],
            frozen_property_value=data["frozen_property_value"],
            outstanding=self.case.outstanding,
            note=data.get("assessment_note", ""),
        )


class ServiceForm(BootstrapForm):
    prefix = "serve"

    served_on = forms.DateField(label=label(BlacklistEntry, "served_on"), widget=DATE)

    def setup(self) -> None:
        self.fields["served_on"].initial = timezone.localdate()


class ExtensionForm(BootstrapForm):
    prefix = "extend"

    years = forms.TypedChoiceField(
        label=_("Years"), choices=[(n, n) for n in (1, 2, 3)], coerce=int
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeletionForm(BootstrapForm):
    prefix = "delete"

    ground = forms.ChoiceField(
        label=label(BlacklistEntry, "deletion_ground"), choices=rules.DeletionGround.choices
    )
    arose_on = forms.DateField(label=label(BlacklistEntry, "deletion_ground_arose_on"), widget=DATE)

    def setup(self) -> None:
        self.fields["arose_on"].initial = timezone.localdate()


class CorrectionForm(BootstrapForm):
    prefix = "correction"

    ground = forms.ChoiceField(
        label=label(CorrectionRequest, "ground"), choices=rules.CorrectionGround.choices
    )
    statement = forms.CharField(
        label=label(CorrectionRequest, "statement"), widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(label=label(CorrectionRequest, "received_on"), widget=DATE)

    def setup(self) -> None:
        self.fields["received_on"].initial = timezone.localdate()


class CorrectionReviewForm(BootstrapForm):
    prefix = "review"

    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(label=label(CorrectionRequest, "reviewed_on"), widget=DATE)

    def setup(self) -> None:
        self.fields["reviewed_on"].initial = timezone.localdate()


# --- Consumption restriction (限制消费) ----------------------------------------------------------


def _names(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.replace("，", ",").replace(",", "\n").splitlines()
        if line.strip()
    ]


class RestrictionForm(_RespondentForm):
    prefix = "restriction"

    principal_officers = forms.CharField(
        label=_("Principal officers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Organisations only; one name a line."),
    )
    directly_responsible = forms.CharField(
        label=_("Persons directly responsible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Organisations only; one name a line."),
    )
    actual_controller = forms.CharField(
        label=_("Actual controller"), required=False, max_length=100
    )

    def names(self) -> dict:
        data = self.cleaned_data
        return {
            "principal_officers": _names(data["principal_officers"]),
            "directly_responsible": _names(data["directly_responsible"]),
            "actual_controller": data["actual_controller"].strip(),
        }


class LiftForm(BootstrapForm):
    prefix = "lift"

    reason = forms.ChoiceField(
        label=label(RestrictionOrder, "lifting_reason"), choices=rules.LiftingReason.choices
    )
    note = forms.CharField(
        label=label(RestrictionOrder, "lifting_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExemptionForm(BootstrapForm):
    prefix = "exemption"

    item = forms.ChoiceField(
        label=label(RestrictionExemption, "item"), choices=rules.RestrictedItem.choices
    )
    reason = forms.CharField(
        label=label(RestrictionExemption, "reason"), widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(label=label(RestrictionExemption, "valid_from"), widget=DATE)
    valid_to = forms.DateField(label=label(RestrictionExemption, "valid_to"), widget=DATE)


class DecisionForm(BootstrapForm):
    prefix = "decide"

    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


# --- Boards ---------------------------------------------------------------------------------


class ExpiringFilterForm(forms.Form):
    within = forms.IntegerField(
        label=_("Ending within (days)"), required=False, min_value=0, max_value=3650
    )
    asset_class = forms.ChoiceField(
        label=_("Asset class"), required=False, choices=[("", _("All")), *AssetClass.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Freeze.Kind.choices]
    )
    expired = forms.BooleanField(label=_("Expired only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "expired"
                else (
                    "form-select form-select-sm"
                    if isinstance(field, forms.ChoiceField)
                    else "form-control form-control-sm"
                )
            )
            field.widget.attrs["class"] = css


class ConfirmForm(BootstrapForm):
    """A button with no fields (approve, publish, renew, release…): errors show above it."""

    prefix = "confirm"
