"""Forms of the custody pages: they check the shape; ``vehicles.services`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enforcement.forms import BootstrapForm, DateInput, DateTimeInput
from vehicles.models import Custodian


class InvoiceForm(BootstrapForm):
    custodian = forms.ModelChoiceField(label=_("Custodian"), queryset=Custodian.objects.none())
    month = forms.DateField(
        label=_("Month"), widget=DateInput, help_text=_("Any day of a month that has ended.")
    )

    def setup(self) -> None:
        from vehicles.selectors import visible_custodians

        self.fields["custodian"].queryset = visible_custodians(self.user).order_by("name")


class PostingForm(BootstrapForm):
    through = forms.DateField(label=_("Post fees through"), widget=DateInput)


class StockCheckForm(BootstrapForm):
    """A checkbox per expected vehicle (phone-sized), plates found but not expected, notes."""

    size = "lg"
    checked_at = forms.DateTimeField(label=_("Checked at"), widget=DateTimeInput)
    unexpected_plates = forms.CharField(
        label=_("Vehicles found but not expected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One plate a line."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, expected=(), **kwargs):
        self.expected = list(expected)
        super().__init__(*args, **kwargs)
        self.fields["checked_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        for impound in self.expected:
            self.fields[f"present_{impound.pk}"] = forms.BooleanField(
                label=f"{impound.vehicle} {impound.bay}".strip(), required=False
            )
            self.fields[f"note_{impound.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"

    def rows(self):
        return [(impound, self[f"present_{impound.pk}"], self[f"note_{impound.pk}"])
                for impound in self.expected]  # fmt: skip

    def found(self):
        from vehicles.services import Found

        data = self.cleaned_data
        return {
            impound.pk: Found(data[f"present_{impound.pk}"], data[f"note_{impound.pk}"])
            for impound in self.expected
        }

    def plates(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["unexpected_plates"].splitlines()]
