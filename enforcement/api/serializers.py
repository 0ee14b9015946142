"""Serializers of the enforcement API.

They check the *shape* of a request (types, lengths, choices, ids); the rules live in
``enforcement.services``, which the views call with ``validated_data``. No serializer here is
ever saved. Every id in a request body is looked up among the records the requesting user may
see (:class:`VisiblePrimaryKeyField`), so another court's id is an "invalid pk" 400.

One serializer per model serves reads and writes (write-only and read-only fields), so each
choice set appears in one OpenAPI component and drf-spectacular names its enums without
collisions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courtexec import selectors as core_selectors
from courtexec.models import User
from enforcement import selectors, services
from enforcement.models import (
    AssetDisposal,
    Campaign,
    CaseParty,
    CoerciveMeasure,
    Consultation,
    DeadlineExtension,
    EnforcementCase,
    FieldAction,
    FieldPhoto,
    JointMeeting,
    MeetingDecision,
    Objection,
    Party,
    Ticket,
    TravelRequest,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
LONG_TEXT = 10_000


# --- Fields -----------------------------------------------------------------------------------


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id resolved among the records the requesting user may see.

    ``queryset`` names the model (for the schema); ``visible(user)`` gives the records the
    request may refer to. An id outside them is refused exactly like one that does not exist.
    """

    def __init__(self, *, visible: Callable[[User], QuerySet], **kwargs) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset.none()
        return self.visible(user)


def case_field(**kwargs) -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=EnforcementCase.objects.all(), visible=selectors.visible_cases, **kwargs
    )


def party_field(**kwargs) -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=Party.objects.all(), visible=selectors.visible_parties, **kwargs
    )


def staff_field(**kwargs) -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=User.objects.all(), visible=core_selectors.visible_staff, **kwargs
    )


def _values_enum(choices) -> dict:
    """A plain enum of values: for a choice set already documented under another field name
    (drf-spectacular warns when one choice set has two names)."""
    return {"type": "string", "enum": [value for value, _label in choices]}


@extend_schema_field(_values_enum([*EnforcementCase.ClosureMode.choices, ("", "")]))
class ClosureModeField(serializers.CharField):
    """The case's closure mode ('' while open); the choices are documented on ``close/``."""


@extend_schema_field(
    {"type": "array", "items": _values_enum(EnforcementCase.Category.choices), "minItems": 1}
)
class CategoriesField(serializers.ListField):
    child = serializers.ChoiceField(choices=EnforcementCase.Category.choices)


class FieldPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Court-checked download URL."))

    class Meta:
        model = FieldPhoto
        fields = ["id", "url", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, photo: FieldPhoto) -> str:
        """The API's download URL (token or session), checked against the case's court."""
        path = reverse("field-action-photo", args=[photo.action_id, photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PhotosField(serializers.ListField):
    """Photos of a field action: image files in a multipart request, records in a response."""

    child = serializers.FileField(allow_empty_file=False)

    def to_representation(self, photos) -> list:
        return FieldPhotoSerializer(photos.all(), many=True, context=self.context).data


class PhotosFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PhotosField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_array_type(build_basic_type(OpenApiTypes.BINARY))
        return build_array_type(auto_schema.resolve_serializer(FieldPhotoSerializer, direction).ref)


class ApiErrorSerializer(serializers.Serializer):
    """The error body of every endpoint (``courtexec.api.exceptions``)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per field name, when the input was invalid."),
    )


# --- Parties ----------------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    lacks_id = serializers.BooleanField(
        read_only=True, help_text=_("No identity number on record: follow up.")
    )

    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "id_number",
            "lacks_id",
            "sex",
            "birth_date",
            "legal_representative",
            "phone",
            "address",
            "registered_by",
            "created_at",
        ]
        read_only_fields = ["id", "registered_by", "created_at"]
        extra_kwargs = {
            # The service normalises the number and returns the existing party for a known one.
            "id_number": {"validators": [], "max_length": 30, "allow_null": True},
        }
        validators: list = []


# --- Cases ------------------------------------------------------------------------------------


class CasePartySerializer(serializers.ModelSerializer):
    party = PartySerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CaseParty
        fields = [
            "id",
            "party",
            "role",
            "role_display",
            "payee_bank",
            "payee_account_name",
            "payee_account_number",
        ]
        read_only_fields = fields


class DeadlineExtensionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DeadlineExtension
        fields = [
            "id",
            "case",
            "months",
            "reason",
            "status",
            "status_display",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    court_code = serializers.CharField(source="court.code", read_only=True)
    type_display = serializers.CharField(source="get_type_code_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    instrument_kind_display = serializers.CharField(
        source="get_instrument_kind_display", read_only=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    closure_mode = ClosureModeField(read_only=True)
    closure_mode_display = serializers.CharField(source="get_closure_mode_display", read_only=True)
    judge_name = serializers.StringRelatedField(source="judge", read_only=True)
    outstanding = serializers.DecimalField(**MONEY, read_only=True)
    deadline = serializers.SerializerMethodField(
        help_text=_("'overdue', 'due_soon' (within the due-soon period) or '' .")
    )
    parties = CasePartySerializer(many=True, read_only=True)
    extensions = DeadlineExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = EnforcementCase
        fields = [
            "id",
            "number",
            "is_legacy_number",
            "court",
            "court_code",
            "year",
            "type_code",
            "type_display",
            "sequence",
            "category",
            "category_display",
            "issuing_body",
            "instrument_number",
            "instrument_effective_on",
            "instrument_kind",
            "instrument_kind_display",
            "amount_to_enforce",
            "amount_performed",
            "outstanding",
            "filed_on",
            "due_on",
            "deadline",
            "judge",
            "judge_name",
            "assistants",
            "status",
            "status_display",
            "flags",
            *services.MILESTONES,
            "no_blacklist_grounds",
            "closure_mode",
            "closure_mode_display",
            "closure_reason",
            "closed_on",
            "resumed_from",
            "parties",
            "extensions",
            "created_at",
        ]
        read_only_fields = fields

    def get_deadline(self, case: EnforcementCase) -> str:
        return selectors.deadline_badge(case, timezone.localdate())


class CasePartyInputSerializer(serializers.Serializer):
    party = party_field()
    role = serializers.ChoiceField(choices=CaseParty.Role.choices)
    payee_bank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    payee_account_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    payee_account_number = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text=_("Required for an applicant: the payee account confirmed at filing."),
    )


class CaseFilingSerializer(serializers.Serializer):
    """Filing (立案): the court is the user's; the number is issued unless a legacy one is given."""

    type_code = serializers.ChoiceField(choices=EnforcementCase.TypeCode.choices)
    category = serializers.ChoiceField(choices=EnforcementCase.Category.choices)
    issuing_body = serializers.CharField(max_length=200)
    instrument_number = serializers.CharField(max_length=100)
    instrument_effective_on = serializers.DateField()
    instrument_kind = serializers.ChoiceField(choices=EnforcementCase.InstrumentKind.choices)
    amount_to_enforce = serializers.DecimalField(**MONEY, min_value=Decimal("0"))
    filed_on = serializers.DateField()
    judge = staff_field()
    assistants = staff_field(many=True, required=False)
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=EnforcementCase.Flag.choices), required=False
    )
    legacy_number = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text=_("Import an existing number as given, e.g. (2015)杭下执民字第2741号."),
    )
    parties = CasePartyInputSerializer(many=True, allow_empty=False)


class CloseCaseSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=EnforcementCase.ClosureMode.choices)
    reason = serializers.CharField(max_length=LONG_TEXT)
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Default: today."))


class ExtendCaseSerializer(serializers.Serializer):
    months = serializers.IntegerField(help_text=_("At most 3 months in all."))
    reason = serializers.CharField(max_length=LONG_TEXT)


class DecideExtensionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True)


class ResumeCaseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LONG_TEXT)
    filed_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Filing date of the new 执恢 case.")
    )


class MilestoneSerializer(serializers.Serializer):
    milestone = serializers.ChoiceField(
        choices=[
            (name, EnforcementCase._meta.get_field(name).verbose_name)
            for name in services.MILESTONES
        ]
    )
    on = serializers.DateField()


class SuspendCaseSerializer(serializers.Serializer):
    suspended = serializers.BooleanField(help_text=_("true to suspend, false to continue."))
    reason = serializers.CharField(max_length=LONG_TEXT)


class ReassignCaseSerializer(serializers.Serializer):
    judge = staff_field()
    assistants = staff_field(many=True, required=False)
    reason = serializers.CharField(max_length=LONG_TEXT)


class PerformanceSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField(max_length=LONG_TEXT)


class AssetDisposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetDisposal
        fields = [
            "id",
            "case",
            "description",
            "amount",
            "authorised_by",
            "ordered_by",
            "ordered_at",
        ]
        read_only_fields = ["id", "case", "authorised_by", "ordered_by", "ordered_at"]
        validators: list = []


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    action = serializers.CharField()
    summary = serializers.CharField()
    user = serializers.CharField()


# --- Consultations and joint meetings ---------------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    participants = staff_field(many=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "case",
            "case_number",
            "held_on",
            "participants",
            "findings",
            "next_steps",
            "follow_up_due",
            "recorded_by",
        ]
        read_only_fields = ["id", "recorded_by"]
        extra_kwargs = {
            "findings": {"max_length": LONG_TEXT},
            "next_steps": {"max_length": LONG_TEXT},
        }
        validators: list = []


class MeetingDecisionSerializer(serializers.ModelSerializer):
    """An agenda item: put on the agenda with ``case`` and ``matter``; decided by the meeting."""

    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = MeetingDecision
        fields = [
            "id",
            "meeting",
            "case",
            "case_number",
            "matter",
            "discussion",
            "decision",
            "decision_display",
            "approved_amount",
            "votes_for",
            "votes_against",
            "abstentions",
        ]
        read_only_fields = [
            "id",
            "meeting",
            "discussion",
            "decision",
            "approved_amount",
            "votes_for",
            "votes_against",
            "abstentions",
        ]
        validators: list = []


class DecideAgendaItemSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            choice
            for choice in MeetingDecision.Decision.choices
            if choice[0] != MeetingDecision.Decision.PENDING
        ]
    )
    discussion = serializers.CharField(
        max_length=LONG_TEXT, required=False, allow_blank=True, default=""
    )
    votes_for = serializers.IntegerField(min_value=0, max_value=32767)
    votes_against = serializers.IntegerField(min_value=0, max_value=32767)
    abstentions = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    approved_amount = serializers.DecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        help_text=_("The largest asset disposal the decision allows."),
    )


class JointMeetingSerializer(serializers.ModelSerializer):
    attendees = staff_field(many=True)
    chaired_by_name = serializers.StringRelatedField(source="chaired_by", read_only=True)
    decisions = MeetingDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = JointMeeting
        fields = [
            "id",
            "court",
            "held_on",
            "chaired_by",
            "chaired_by_name",
            "attendees",
            "decisions",
        ]
        read_only_fields = ["id", "court", "chaired_by"]
        validators: list = []


# --- Objections and coercive measures ---------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    objector_party = party_field(required=False, allow_null=True)
    ruling_display = serializers.CharField(source="get_ruling_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Pending past its review deadline."))

    class Meta:
        model = Objection
        fields = [
            "id",
            "case",
            "case_number",
            "objector_party",
            "objector_name",
            "contested_act",
            "filed_on",
            "review_due_on",
            "ruling",
            "ruling_display",
            "ruling_reason",
            "ruled_on",
            "overdue",
        ]
        read_only_fields = [
            "id",
            "review_due_on",
            "ruling",
            "ruling_reason",
            "ruled_on",
        ]
        extra_kwargs = {"contested_act": {"max_length": LONG_TEXT}}
        validators: list = []

    def get_overdue(self, objection: Objection) -> bool:
        return selectors.objection_overdue(objection, timezone.localdate())


class RuleObjectionSerializer(serializers.Serializer):
    ruling = serializers.ChoiceField(
        choices=[
            choice for choice in Objection.Ruling.choices if choice[0] != Objection.Ruling.PENDING
        ]
    )
    reason = serializers.CharField(max_length=LONG_TEXT)
    ruled_on = serializers.DateField()


class CoerciveMeasureSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    subject = party_field()
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    family_notice_late = serializers.SerializerMethodField(
        help_text=_("A detention whose family was not told within 24 hours of approval.")
    )

    class Meta:
        model = CoerciveMeasure
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_display",
            "subject",
            "subject_name",
            "detention_days",
            "fine_amount",
            "reason",
            "decided_on",
            "approved_by",
            "approved_at",
            "family_notified_at",
            "family_notice_late",
            "review_requested_on",
            "review_decided_on",
            "recorded_by",
        ]
        read_only_fields = [
            "id",
            "approved_by",
            "approved_at",
            "family_notified_at",
            "review_requested_on",
            "review_decided_on",
            "recorded_by",
        ]
        extra_kwargs = {"reason": {"max_length": LONG_TEXT}}
        validators: list = []

    def get_family_notice_late(self, measure: CoerciveMeasure) -> bool:
        return services.family_notice_late(measure, timezone.now())


class FamilyNoticeSerializer(serializers.Serializer):
    notified_at = serializers.DateTimeField()


class MeasureReviewSerializer(serializers.Serializer):
    requested_on = serializers.DateField()
    decided_on = serializers.DateField(required=False, allow_null=True)


# --- Field work -------------------------------------------------------------------------------


class FieldActionSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    officer_name = serializers.StringRelatedField(source="officer", read_only=True)
    photos = PhotosField(
        required=False,
        help_text=_("JPEG, PNG or WebP images of at most 10 MB (multipart upload)."),
    )

    class Meta:
        model = FieldAction
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_display",
            "occurred_at",
            "place",
            "latitude",
            "longitude",
            "participants",
            "notes",
            "officer",
            "officer_name",
            "photos",
            "created_at",
        ]
        read_only_fields = ["id", "officer", "created_at"]
        extra_kwargs = {"notes": {"max_length": LONG_TEXT}}
        validators: list = []


# --- Travel and tickets -----------------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    traveller = staff_field()
    traveller_name = serializers.StringRelatedField(source="traveller", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "request",
            "traveller",
            "traveller_name",
            "mode",
            "reference",
            "travel_on",
            "price",
            "bought_by",
            "bought_at",
        ]
        read_only_fields = ["id", "request", "bought_by", "bought_at"]
        validators: list = []


class TravelRequestSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    travellers = staff_field(many=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    tickets = TicketSerializer(many=True, read_only=True)

    class Meta:
        model = TravelRequest
        fields = [
            "id",
            "case",
            "case_number",
            "destination",
            "purpose",
            "depart_on",
            "return_on",
            "travellers",
            "status",
            "status_display",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "tickets",
        ]
        read_only_fields = [
            "id",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        extra_kwargs = {"purpose": {"max_length": LONG_TEXT}}
        validators: list = []


class DecideTravelSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


# --- Campaigns --------------------------------------------------------------------------------


class CampaignFiguresSerializer(serializers.Serializer):
    cases_concluded = serializers.IntegerField()
    detentions = serializers.IntegerField()
    blacklist_entries = serializers.IntegerField()
    police_transfers = serializers.IntegerField()


class CampaignSerializer(serializers.ModelSerializer):
    categories = CategoriesField(allow_empty=False)
    figures = serializers.SerializerMethodField(
        help_text=_("Counted from the records of the period, never typed in.")
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "court",
            "name",
            "starts_on",
            "ends_on",
            "categories",
            "description",
            "figures",
        ]
        read_only_fields = ["id", "court"]
        extra_kwargs = {"description": {"max_length": LONG_TEXT}}
        validators: list = []

    @extend_schema_field(CampaignFiguresSerializer)
    def get_figures(self, campaign: Campaign) -> dict:
        return asdict(selectors.campaign_figures(campaign))
