"""Forms of the party portal (sign-in by code) and of the staff page of served documents.

They check the shape of the input; :mod:`enforcement.liaison.services` decides.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enforcement.forms import BootstrapForm, label
from enforcement.liaison.models import ServedDocument
from enforcement.liaison.selectors import PORTAL_ROLES
from enforcement.models import Party


class PhoneForm(BootstrapForm):
    size = "lg"

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("The mobile number the court has on file for you in your case."),
    )


class CodeForm(BootstrapForm):
    size = "lg"

    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class ServeDocumentForm(BootstrapForm):
    """A judge or clerk serves a document on one applicant or respondent of the case."""

    party = forms.ModelChoiceField(label=_("Addressed to"), queryset=Party.objects.none())
    kind = forms.ChoiceField(
        label=label(ServedDocument, "kind"), choices=ServedDocument.Kind.choices
    )
    title = forms.CharField(label=label(ServedDocument, "title"), max_length=200)
    file = forms.FileField(
        label=label(ServedDocument, "file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
        help_text=_("A PDF or an image, at most 10 MB."),
    )

    def setup(self) -> None:
        self.fields["party"].queryset = Party.objects.filter(
            case_links__case=self.case, case_links__role__in=PORTAL_ROLES
        ).distinct()
