"""Field forms of the impound lifecycle (phones first: big inputs, camera photos, checklists as
big toggles, a signature pad). They check the shape; ``vehicles.services`` decides."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtexec.models import User
from enforcement.forms import BootstrapForm, DateTimeInput, MultiplePhotoField
from enforcement.models import CaseParty, EnforcementCase
from enforcement.selectors import visible_cases
from vehicles import rules
from vehicles.models import Custodian, Impound, Lot, Vehicle


def _photos() -> MultiplePhotoField:
    return MultiplePhotoField(label=_("Photos"), required=False)


def _condition() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Damage found"),
        choices=rules.DAMAGE_CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-big": "1"}),
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _signature(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Signature"), required=required, widget=forms.HiddenInput(attrs={"data-sig": "1"})
    )


class SeizeForm(BootstrapForm):
    size = "lg"

    case = forms.ModelChoiceField(label=_("Case"), queryset=EnforcementCase.objects.none())
    decision_number = forms.CharField(label=_("Seizure decision number"), max_length=60)
    seized_at = forms.DateTimeField(
        label=_("Seized at"), widget=DateTimeInput, initial=timezone.localtime
    )
    place = forms.CharField(label=_("Place of seizure"), max_length=300)
    holder_name = forms.CharField(
        label=_("Handed over by (holder)"), max_length=200, required=False
    )
    damage = _condition()
    condition_notes = forms.CharField(
        label=_("Condition notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    keys_received = forms.IntegerField(
        label=_("Keys received"), min_value=0, max_value=20, initial=1
    )
    documents_received = forms.MultipleChoiceField(
        label=_("Documents received"),
        choices=rules.DOCUMENT_CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-big": "1"}),
    )
    odometer = forms.IntegerField(
        label=_("Odometer (km)"), min_value=0, max_value=5_000_000, required=False
    )
    photos = _photos()

    def __init__(self, *args, vehicle: Vehicle, **kwargs):
        self.vehicle = vehicle
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The open cases the vehicle is linked to, or whose respondent owns it."""
        respondent_of = CaseParty.objects.filter(
            party_id=self.vehicle.owner_id, role=CaseParty.Role.RESPONDENT
        ).values("case")
        self.fields["case"].queryset = (
            visible_cases(self.user)
            .filter(Q(vehicles=self.vehicle) | Q(pk__in=respondent_of))
            .exclude(status=EnforcementCase.Status.CONCLUDED)
            .distinct()
            .order_by("-filed_on", "-pk")
        )


class TowForm(BootstrapForm):
    size = "lg"

    custodian = forms.ModelChoiceField(label=_("Custodian"), queryset=Custodian.objects.none())
    towed_at = forms.DateTimeField(
        label=_("Towed at"), widget=DateTimeInput, initial=timezone.localtime
    )
    driver = forms.CharField(label=_("Tow driver"), max_length=100)
    tow_from = forms.CharField(label=_("Towed from"), max_length=300, required=False)
    tow_to = forms.CharField(label=_("Towed to"), max_length=300, required=False)
    condition = _condition()
    note = _note()
    signature = _signature(required=False)
    photos = _photos()

    def setup(self) -> None:
        self.fields["custodian"].queryset = Custodian.objects.filter(
            court_id=self.user.court_id, active=True
        )


class IntakeForm(BootstrapForm):
    size = "lg"

    lot = forms.ModelChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    bay = forms.CharField(label=_("Bay"), max_length=20)
    intake_at = forms.DateTimeField(
        label=_("Taken in at"), widget=DateTimeInput, initial=timezone.localtime
    )
    custodian_signatory = forms.CharField(label=_("Signed for the custodian by"), max_length=150)
    condition = _condition()
    note = _note()
    signature = _signature(required=True)
    photos = _photos()

    def __init__(self, *args, impound: Impound, **kwargs):
        self.impound = impound
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        self.fields["lot"].queryset = Lot.objects.filter(
            custodian_id=self.impound.custodian_id, active=True
        )


class MoveForm(IntakeForm):
    intake_at = None
    custodian_signatory = None
    condition = None
    signature = None
    photos = None


class DisposalForm(BootstrapForm):
    disposal = forms.ChoiceField(
        label=_("Disposal"), choices=Impound.Disposal.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(label=_("Decision reference"), max_length=100)


class ApprovalForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class HandOverForm(BootstrapForm):
    size = "lg"

    at = forms.DateTimeField(
        label=_("Handed over at"), widget=DateTimeInput, initial=timezone.localtime
    )
    received_by_name = forms.CharField(label=_("Received by"), max_length=200)
    condition = _condition()
    note = _note()
    signature = _signature(required=True)
    photos = _photos()


def step_form(action: str, data=None, files=None, *, impound: Impound, user: User):
    """The form of one lifecycle action."""
    classes = {
        "approve-tow": ApprovalForm,
        "tow": TowForm,
        "intake": IntakeForm,
        "move": MoveForm,
        "decide-disposal": DisposalForm,
        "release": HandOverForm,
        "to-auction": HandOverForm,
        "deliver": HandOverForm,
    }
    form_class = classes[action]
    kwargs = {"impound": impound} if form_class in (IntakeForm, MoveForm) else {}
    return form_class(data, files, user=user, **kwargs)
