"""Forms of the vehicles registry: register and edit a vehicle, place and lift surveillance,
report a sighting (phone-sized), and the vehicle list's filters. Only shapes: the services
decide (plate and VIN checks, owner and case rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courtexec.visibility import restrict
from enforcement.forms import DATETIME_FORMAT, BootstrapForm, DateInput, DateTimeInput, label
from enforcement.models import EnforcementCase, Party
from vehicles import selectors
from vehicles.models import Custodian, Impound, Sighting, Surveillance, Vehicle, VehicleClass

DATETIME_INPUTS = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def open_cases(user) -> forms.QuerySet:
    return (
        restrict(EnforcementCase.objects.all(), user)
        .exclude(status=EnforcementCase.Status.CONCLUDED)
        .order_by("-filed_on", "number")
    )


class VehicleForm(BootstrapForm):
    """Register (with optional cases) or edit a vehicle; mobile-first, large controls."""

    size = "lg"
    service_fields = {"cases": "cases"}

    plate = forms.CharField(
        label=label(Vehicle, "plate"),
        max_length=20,
        required=False,
        help_text=_("E.g. 浙A12345, or 浙AD12345 for a new-energy vehicle."),
    )
    vin = forms.CharField(label=label(Vehicle, "vin"), max_length=30, required=False)
    vehicle_class = forms.ChoiceField(
        label=label(Vehicle, "vehicle_class"), choices=VehicleClass.choices
    )
    make_model = forms.CharField(label=label(Vehicle, "make_model"), max_length=100, required=False)
    colour = forms.CharField(label=label(Vehicle, "colour"), max_length=30, required=False)
    owner = forms.ModelChoiceField(label=label(Vehicle, "owner"), queryset=Party.objects.none())
    cases = forms.ModelMultipleChoiceField(
        label=label(Vehicle, "cases"), queryset=EnforcementCase.objects.none(), required=False
    )

    def setup(self) -> None:
        self.fields["owner"].queryset = restrict(Party.objects.all(), self.user).order_by("name")
        self.fields["cases"].queryset = open_cases(self.user)


class VehicleEditForm(VehicleForm):
    def setup(self) -> None:
        super().setup()
        del self.fields["cases"]


class SurveillanceForm(BootstrapForm):
    case = forms.ModelChoiceField(label=label(Surveillance, "case"), queryset=None)
    reason = forms.CharField(label=label(Surveillance, "reason"), max_length=300)
    starts_on = forms.DateField(label=label(Surveillance, "starts_on"), widget=DateInput())
    ends_on = forms.DateField(label=label(Surveillance, "ends_on"), widget=DateInput())

    def __init__(self, *args, vehicle: Vehicle, **kwargs):
        self.vehicle = vehicle
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        self.fields["case"].queryset = open_cases(self.user).filter(court=self.vehicle.court_id)


class LiftForm(BootstrapForm):
    reason = forms.CharField(label=label(Surveillance, "lift_reason"), max_length=300)


class SightingForm(BootstrapForm):
    """A sighting typed on a phone in the street: plate, place, time."""

    size = "lg"

    plate = forms.CharField(label=label(Sighting, "plate"), max_length=40)
    place = forms.CharField(label=label(Sighting, "place"), max_length=300)
    seen_at = forms.DateTimeField(
        label=label(Sighting, "seen_at"), widget=DateTimeInput(), input_formats=DATETIME_INPUTS
    )
    note = forms.CharField(label=label(Sighting, "note"), max_length=300, required=False)


STATUS_CHOICES = [
    ("", _("Any status")),
    (selectors.NOT_IMPOUNDED, _("Not impounded")),
    (selectors.UNDER_SURVEILLANCE, _("Under surveillance")),
    *Impound.State.choices,
]


class VehicleFilterForm(BootstrapForm):
    """The vehicle list's filters (GET); an invalid value is ignored, never an error page."""

    size = "sm"

    plate = forms.CharField(label=_("Plate or VIN"), max_length=30, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    custodian = forms.ModelChoiceField(
        label=label(Impound, "custodian"), queryset=Custodian.objects.none(), required=False
    )
    case = forms.CharField(label=_("Case number"), max_length=60, required=False)
    min_days = forms.IntegerField(
        label=_("Days in custody (at least)"), min_value=0, max_value=36500, required=False
    )

    def setup(self) -> None:
        self.fields["custodian"].queryset = restrict(Custodian.objects.all(), self.user)

    def filters(self) -> selectors.VehicleFilters:
        data = self.cleaned_data if self.is_valid() else {}
        custodian = data.get("custodian")
        return selectors.VehicleFilters(
            status=data.get("status") or "",
            custodian=custodian.pk if custodian else None,
            case=data.get("case") or "",
            min_days=data.get("min_days"),
            plate=data.get("plate") or "",
        )
