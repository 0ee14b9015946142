"""Forms of the enforcement pages.

They check the shape of the input (a date is a date, an amount a number); the business rules
live in :mod:`enforcement.services`, whose ``ValidationError`` the views put back on the form
with :func:`apply_service_errors`, next to the field it names.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from courtexec.models import Court, User
from courtexec.roles import Role
from enforcement import selectors, services
from enforcement.models import (
    CaseParty,
    CoerciveMeasure,
    EnforcementCase,
    FieldAction,
    JointMeeting,
    MeetingDecision,
    Objection,
    Party,
    Ticket,
)

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_PHOTOS = 20


def label(model, name: str):
    """A form label from the model field's (translated) verbose name: one msgid, not two."""
    return capfirst(model._meta.get_field(name).verbose_name)


def court_staff(court: Court) -> QuerySet[User]:
    return User.objects.filter(court=court, is_active=True).order_by("display_name", "username")


def judges_of(court: Court) -> QuerySet[User]:
    return court_staff(court).filter(groups__name=Role.JUDGE.value)


# --- Widgets and Bootstrap rendering -----------------------------------------------------------


class DateInput(forms.DateInput):
    """A native date picker; the value always in ISO form, whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one file input; the service checks each is a real image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(n)d photos at a time.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        single = super().clean
        return [single(item, initial) for item in files]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _style(widget: forms.Widget, size: str) -> None:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select" + (f" form-select-{size}" if size else "")
    else:
        css = "form-control" + (f" form-control-{size}" if size else "")
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{existing} {css}".strip()


class BootstrapForm(forms.Form):
    """Bootstrap 5 classes on every widget; a field with errors is marked ``is-invalid``.

    Every form of a case page takes the case and the acting user, so that its choices (the
    case's parties, the court's staff) are the ones the service will accept.
    """

    size = ""  # "lg" for the phone pages

    def __init__(self, *args, case: EnforcementCase | None = None, user: User | None = None, **kw):
        super().__init__(*args, **kw)
        self.case = case
        self.user = user
        self.setup()
        for field in self.fields.values():
            _style(field.widget, self.size)

    def setup(self) -> None:
        """Narrow querysets and set initial values once ``case`` and ``user`` are known."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


def stray_errors(bound: dict, shown: set) -> list[str]:
    """Messages of submitted forms the page no longer offers (a request decided meanwhile, say):
    shown above the tabs so they are never lost."""
    return [
        message
        for key, bound_form in bound.items()
        if key not in shown
        for errors in bound_form.errors.values()
        for message in errors
    ]


def apply_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message beside the field it names
    (through ``field_map`` where the service's name differs), the rest above the form."""
    field_map = {**getattr(form, "service_fields", {}), **(field_map or {})}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.error_list)
        return
    for name, errors in exc.error_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields or form[target].is_hidden:
            target = None
        form.add_error(target, errors)


# --- Filing (立案) --------------------------------------------------------------------------


class CaseFilingForm(BootstrapForm):
    prefix = "case"

    type_code = forms.ChoiceField(
        label=label(EnforcementCase, "type_code"),
        choices=EnforcementCase.TypeCode.choices,
        initial=EnforcementCase.TypeCode.FIRST,
    )
    category = forms.ChoiceField(
        label=label(EnforcementCase, "category"), choices=EnforcementCase.Category.choices
    )
    issuing_body = forms.CharField(label=label(EnforcementCase, "issuing_body"), max_length=200)
    instrument_number = forms.CharField(
        label=label(EnforcementCase, "instrument_number"), max_length=100
    )
    instrument_effective_on = forms.DateField(
        label=label(EnforcementCase, "instrument_effective_on"), widget=DateInput
    )
    instrument_kind = forms.ChoiceField(
        label=label(EnforcementCase, "instrument_kind"),
        choices=EnforcementCase.InstrumentKind.choices,
        initial=EnforcementCase.InstrumentKind.LITIGATION,
        help_text=_("Non-litigation instruments (notarial deeds, arbitral awards) have 3 months."),
    )
    amount_to_enforce = forms.DecimalField(
        label=label(EnforcementCase, "amount_to_enforce"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
    )
    filed_on = forms.DateField(
        label=label(EnforcementCase, "filed_on"), widget=DateInput, initial=timezone.localdate
    )
    judge = forms.ModelChoiceField(label=label(EnforcementCase, "judge"), queryset=User.objects)
    assistants = forms.ModelMultipleChoiceField(
        label=label(EnforcementCase, "assistants"),
        queryset=User.objects,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    flags = forms.MultipleChoiceField(
        label=label(EnforcementCase, "flags"),
        choices=EnforcementCase.Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Flagged cases go before the joint meeting of bureau and section chiefs."),
    )
    legacy_number = forms.CharField(
        label=_("Existing case number"),
        max_length=60,
        required=False,
        help_text=_(
            "Only when importing a case that already has a number, e.g. (2015)杭下执民字第2741号; "
            "leave empty to assign the next number."
        ),
    )

    def setup(self) -> None:
        court = self.user.court
        self.fields["judge"].queryset = judges_of(court)
        self.fields["assistants"].queryset = court_staff(court)
        if self.user.has_role(Role.JUDGE):
            self.fields["judge"].initial = self.user.pk


class PartyForm(BootstrapForm):
    """A party at filing: found by identity number when already registered, else registered."""

    kind = forms.ChoiceField(
        label=label(Party, "kind"),
        choices=Party.Kind.choices,
        initial=Party.Kind.PERSON,
        widget=forms.RadioSelect,
    )
    id_number = forms.CharField(
        label=label(Party, "id_number"),
        max_length=30,
        required=False,
        help_text=_(
            "18-digit resident ID or unified social credit code. A party already registered "
            "with this number is reused."
        ),
    )
    name = forms.CharField(label=label(Party, "name"), max_length=200, required=False)
    phone = forms.CharField(label=label(Party, "phone"), max_length=30, required=False)
    address = forms.CharField(label=label(Party, "address"), max_length=300, required=False)
    legal_representative = forms.CharField(
        label=label(Party, "legal_representative"),
        max_length=100,
        required=False,
        help_text=_("Organisations only."),
    )

    def setup(self) -> None:
        self.existing: Party | None = None
        self.fields["id_number"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("enforcement:party-lookup"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": f"#{self.prefix}-lookup",
                "autocomplete": "off",
            }
        )

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").strip().upper()
        if number and self.user is not None:
            self.existing = selectors.visible_parties(self.user).filter(id_number=number).first()
        if self.existing is not None:
            data["kind"] = self.existing.kind
            if not (data.get("name") or "").strip():
                data["name"] = self.existing.name
        elif not (data.get("name") or "").strip():
            self.add_error("name", _("Enter the party's name."))
        return data

    def register(self, court: Court) -> Party:
        """``services.register_party`` with this form's data (inside the caller's transaction)."""
        data = self.cleaned_data
        return services.register_party(
            court=court,
            kind=data["kind"],
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
            legal_representative=data["legal_representative"],
        )


class ApplicantForm(PartyForm):
    prefix = "applicant"

    payee_bank = forms.CharField(label=label(CaseParty, "payee_bank"), max_length=100)
    payee_account_name = forms.CharField(
        label=label(CaseParty, "payee_account_name"),
        max_length=200,
        required=False,
        help_text=_("Defaults to the applicant's name."),
    )
    payee_account_number = forms.CharField(
        label=label(CaseParty, "payee_account_number"), max_length=40
    )


class RespondentForm(PartyForm):
    prefix = "respondent"


class CasePartyForm(ApplicantForm):
    """Another party joining a filed case: a further applicant, respondent or a third party."""

    prefix = "party"

    role = forms.ChoiceField(label=label(CaseParty, "role"), choices=CaseParty.Role.choices)

    def setup(self) -> None:
        super().setup()
        for name in ("payee_bank", "payee_account_number"):
            self.fields[name].required = False  # the service requires them of an applicant
            self.fields[name].help_text = _("Applicants only: the confirmed payee account.")


# --- Case actions -------------------------------------------------------------------------------


class CloseForm(BootstrapForm):
    prefix = "close"

    mode = forms.ChoiceField(
        label=label(EnforcementCase, "closure_mode"), choices=EnforcementCase.ClosureMode.choices
    )
    reason = forms.CharField(label=label(EnforcementCase, "closure_reason"), widget=_textarea())
    on = forms.DateField(
        label=label(EnforcementCase, "closed_on"),
        widget=DateInput,
        required=False,
        initial=timezone.localdate,
    )


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))


class ResumeForm(ReasonForm):
    prefix = "resume"


class SuspendForm(ReasonForm):
    prefix = "suspend"


class ReassignForm(ReasonForm):
    prefix = "reassign"

    judge = forms.ModelChoiceField(label=label(EnforcementCase, "judge"), queryset=User.objects)
    assistants = forms.ModelMultipleChoiceField(
        label=label(EnforcementCase, "assistants"),
        queryset=User.objects,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def setup(self) -> None:
        self.fields["judge"].queryset = judges_of(self.case.court)
        self.fields["assistants"].queryset = court_staff(self.case.court)
        self.fields["judge"].initial = self.case.judge_id


class MilestoneForm(BootstrapForm):
    prefix = "milestone"

    milestone = forms.ChoiceField(label=_("Procedural step"), choices=())
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)

    def setup(self) -> None:
        self.fields["milestone"].choices = [
            (name, label(EnforcementCase, name)) for name in services.MILESTONES
        ]


class PerformanceForm(BootstrapForm):
    prefix = "performance"

    amount = forms.DecimalField(label=_("Amount performed (yuan)"), max_digits=14, decimal_places=2)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        help_text=_("How it was paid, e.g. paid directly to the applicant."),
    )


class ExtensionRequestForm(BootstrapForm):
    prefix = "extension"

    months = forms.IntegerField(label=_("Months"), min_value=1, initial=1)
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))


class DecisionForm(BootstrapForm):
    """Approve or reject (the buttons carry the choice), with an optional note."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ConsultationForm(BootstrapForm):
    prefix = "consultation"

    held_on = forms.DateField(label=_("Held on"), widget=DateInput, initial=timezone.localdate)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=User.objects, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label=_("Findings"), widget=_textarea())
    next_steps = forms.CharField(label=_("Next steps"), widget=_textarea())
    follow_up_due = forms.DateField(label=_("Follow-up due"), widget=DateInput, required=False)

    def setup(self) -> None:
        self.fields["participants"].queryset = court_staff(self.case.court)


class AgendaForm(BootstrapForm):
    prefix = "agenda"

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=JointMeeting.objects)
    matter = forms.CharField(
        label=label(MeetingDecision, "matter"),
        max_length=300,
        help_text=_("What the meeting is to decide, e.g. auction of the seized building."),
    )

    def setup(self) -> None:
        since = timezone.localdate() - dt.timedelta(days=90)
        self.fields["meeting"].queryset = JointMeeting.objects.filter(
            court=self.case.court, held_on__gte=since
        ).order_by("-held_on", "-pk")


class MeetingForm(BootstrapForm):
    prefix = "meeting"

    held_on = forms.DateField(label=_("Held on"), widget=DateInput, initial=timezone.localdate)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects, widget=forms.CheckboxSelectMultiple
    )

    def setup(self) -> None:
        self.fields["attendees"].queryset = court_staff(self.user.court)


class MeetingDecisionForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=label(MeetingDecision, "decision"),
        choices=[c for c in MeetingDecision.Decision.choices if c[0] != "pending"],
    )
    discussion = forms.CharField(
        label=label(MeetingDecision, "discussion"), widget=_textarea(2), required=False
    )
    votes_for = forms.IntegerField(label=label(MeetingDecision, "votes_for"), min_value=0)
    votes_against = forms.IntegerField(
        label=label(MeetingDecision, "votes_against"), min_value=0, initial=0
    )
    abstentions = forms.IntegerField(
        label=label(MeetingDecision, "abstentions"), min_value=0, initial=0
    )
    approved_amount = forms.DecimalField(
        label=label(MeetingDecision, "approved_amount"),
        max_digits=14,
        decimal_places=2,
        required=False,
    )


class DisposalForm(BootstrapForm):
    prefix = "disposal"

    description = forms.CharField(label=_("Assets"), max_length=300)
    amount = forms.DecimalField(label=_("Estimated value (yuan)"), max_digits=14, decimal_places=2)


class ObjectionForm(BootstrapForm):
    prefix = "objection"

    objector_party = forms.ModelChoiceField(
        label=_("Objecting party"),
        queryset=Party.objects,
        required=False,
        help_text=_("Leave empty for an outsider (案外人) and enter the name below."),
    )
    objector_name = forms.CharField(label=_("Objector"), max_length=200, required=False)
    contested_act = forms.CharField(label=_("Contested enforcement act"), widget=_textarea(2))
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput, initial=timezone.localdate)

    def setup(self) -> None:
        self.fields["objector_party"].queryset = Party.objects.filter(
            case_links__case=self.case
        ).distinct()

    def clean(self):
        data = super().clean()
        party = data.get("objector_party")
        if party is not None and not (data.get("objector_name") or "").strip():
            data["objector_name"] = party.name
        return data


class RulingForm(BootstrapForm):
    service_fields = {"ruling_reason": "reason"}

    ruling = forms.ChoiceField(
        label=_("Ruling"),
        choices=[
            (Objection.Ruling.SUSTAINED, Objection.Ruling.SUSTAINED.label),
            (Objection.Ruling.DISMISSED, Objection.Ruling.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons"), widget=_textarea(2))
    ruled_on = forms.DateField(label=_("Ruled on"), widget=DateInput, initial=timezone.localdate)


class MeasureForm(BootstrapForm):
    prefix = "measure"

    kind = forms.ChoiceField(label=_("Measure"), choices=CoerciveMeasure.Kind.choices)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Party.objects)
    detention_days = forms.IntegerField(label=_("Detention days"), required=False, min_value=1)
    fine_amount = forms.DecimalField(
        label=_("Fine (yuan)"), max_digits=14, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))
    decided_on = forms.DateField(
        label=_("Decided on"), widget=DateInput, initial=timezone.localdate
    )

    def setup(self) -> None:
        self.fields["subject"].queryset = Party.objects.filter(
            case_links__case=self.case
        ).distinct()


class FamilyNoticeForm(BootstrapForm):
    service_fields = {"family_notified_at": "notified_at"}

    notified_at = forms.DateTimeField(
        label=_("Family notified at"), widget=DateTimeInput, initial=timezone.localtime
    )


class ReviewForm(BootstrapForm):
    service_fields = {"review_requested_on": "requested_on", "review_decided_on": "decided_on"}

    requested_on = forms.DateField(label=_("Review requested on"), widget=DateInput)
    decided_on = forms.DateField(label=_("Review decided on"), widget=DateInput, required=False)


class TravelForm(BootstrapForm):
    prefix = "travel"

    destination = forms.CharField(label=_("Destination"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=_textarea(2))
    depart_on = forms.DateField(label=_("Departs on"), widget=DateInput)
    return_on = forms.DateField(label=_("Returns on"), widget=DateInput)
    travellers = forms.ModelMultipleChoiceField(
        label=_("Travellers"), queryset=User.objects, widget=forms.CheckboxSelectMultiple
    )

    def setup(self) -> None:
        self.fields["travellers"].queryset = court_staff(self.case.court)


class TicketForm(BootstrapForm):
    traveller = forms.ModelChoiceField(label=_("Traveller"), queryset=User.objects)
    mode = forms.ChoiceField(label=_("Mode"), choices=Ticket.Mode.choices)
    reference = forms.CharField(label=_("Ticket or booking number"), max_length=60)
    travel_on = forms.DateField(label=_("Travel date"), widget=DateInput)
    price = forms.DecimalField(label=_("Price (yuan)"), max_digits=14, decimal_places=2)

    def __init__(self, *args, travel=None, **kwargs):
        self.travel = travel
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        if self.travel is not None:
            self.fields["traveller"].queryset = self.travel.travellers.all()


class FieldActionForm(BootstrapForm):
    """The phone page: large inputs, the camera, and the phone's position."""

    size = "lg"

    kind = forms.ChoiceField(label=_("What was done"), choices=FieldAction.Kind.choices)
    occurred_at = forms.DateTimeField(
        label=_("Time"), widget=DateTimeInput, initial=timezone.localtime
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    participants = forms.CharField(
        label=_("Participants"),
        max_length=300,
        help_text=_("Officers and the people present."),
    )
    notes = forms.CharField(label=_("Notes"), widget=_textarea(4), required=False)
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each."),
    )

    def setup(self) -> None:
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})
        if self.user is not None and not self.is_bound:
            self.fields["participants"].initial = str(self.user)


class CampaignForm(BootstrapForm):
    prefix = "campaign"

    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    categories = forms.MultipleChoiceField(
        label=_("Target categories"),
        choices=EnforcementCase.Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), widget=_textarea(2), required=False)


# --- The case list's filter form ---------------------------------------------------------------


def style_filter_form(form: forms.Form) -> forms.Form:
    """The shared filterset's form, dressed for the list page: checkboxes, date pickers."""
    for name in ("status", "type_code", "category"):
        field = form.fields[name]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    for name in ("filed_after", "filed_before"):
        form.fields[name].widget = DateInput()
    form.fields["q"].widget.attrs.update(
        {"placeholder": _("Case number, party name or ID"), "type": "search"}
    )
    form.fields["needs_consultation"].widget.choices = [
        ("unknown", _("Any")),
        ("true", _("Yes")),
        ("false", _("No")),
    ]
    for field in form.fields.values():
        _style(field.widget, "sm")
    return form
