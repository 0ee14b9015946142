"""Forms of the custodian pages (保管单位, 保管协议, 停车场): they check the shape (money typed in
yuan, cleaned to integer fen); ``vehicles.services`` decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casefunds.models import yuan
from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement.forms import BootstrapForm, DateInput, court_staff, label
from vehicles.models import Custodian, CustodyAgreement, Lot, VehicleClass

MAX_YUAN = Decimal(10**10)  # ten billion yuan: beyond any fee, within a bigint of fen


class FenField(forms.DecimalField):
    """An amount of zero or more yuan with at most two decimals, cleaned to integer fen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", MAX_YUAN - Decimal("0.01"))
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int(amount * 100)


class CustodianForm(BootstrapForm):
    name = forms.CharField(label=label(Custodian, "name"), max_length=200)
    credit_code = forms.CharField(
        label=label(Custodian, "credit_code"), max_length=30, required=False
    )
    contact = forms.CharField(label=label(Custodian, "contact"), max_length=100, required=False)
    phone = forms.CharField(label=label(Custodian, "phone"), max_length=30, required=False)
    address = forms.CharField(label=label(Custodian, "address"), max_length=300, required=False)
    active = forms.BooleanField(label=label(Custodian, "active"), required=False, initial=True)
    members = forms.ModelMultipleChoiceField(
        label=label(Custodian, "members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The company's staff who sign in to the custodian portal."),
    )

    def __init__(self, *args, court: Court | None = None, custodian: Custodian | None = None, **kw):
        self.court = court
        self.custodian = custodian
        super().__init__(*args, **kw)

    def setup(self) -> None:
        if self.court is None:
            return
        chosen = Q(groups__name=Role.CUSTODIAN.value)
        if self.custodian is not None:
            chosen |= Q(custodians=self.custodian)
        members = court_staff(self.court).filter(chosen).distinct()
        self.fields["members"].queryset = members.order_by("display_name", "username")


class AgreementForm(BootstrapForm):
    number = forms.CharField(label=label(CustodyAgreement, "number"), max_length=60)
    valid_from = forms.DateField(label=label(CustodyAgreement, "valid_from"), widget=DateInput)
    valid_until = forms.DateField(label=label(CustodyAgreement, "valid_until"), widget=DateInput)
    signed_on = forms.DateField(
        label=label(CustodyAgreement, "signed_on"), widget=DateInput, required=False
    )
    towing_fee = FenField(label=_("Towing fee (yuan)"))

    def setup(self) -> None:
        for vehicle_class in VehicleClass:
            self.fields[f"rate_{vehicle_class.value}"] = FenField(
                label=format_lazy(_("Daily fee (yuan): {}"), vehicle_class.label)
            )

    @staticmethod
    def initial_of(agreement: CustodyAgreement) -> dict:
        """An agreement's values as the form shows them (money in yuan)."""
        initial = {
            "number": agreement.number,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
            "signed_on": agreement.signed_on,
            "towing_fee": yuan(agreement.towing_fee),
        }
        for rate in agreement.rates.all():
            initial[f"rate_{rate.vehicle_class}"] = yuan(rate.daily_fee)
        return initial

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "signed_on": data["signed_on"],
            "towing_fee": data["towing_fee"],
            "rates": {vc.value: data[f"rate_{vc.value}"] for vc in VehicleClass},
        }


class LotForm(BootstrapForm):
    name = forms.CharField(label=label(Lot, "name"), max_length=100)
    address = forms.CharField(label=label(Lot, "address"), max_length=300)
    capacity = forms.IntegerField(label=label(Lot, "capacity"), min_value=1, max_value=100000)
    active = forms.BooleanField(label=label(Lot, "active"), required=False, initial=True)
