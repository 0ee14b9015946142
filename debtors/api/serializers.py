"""Serializers of the debtors API (财产查控).

Amounts go in and out as yuan strings ("1234.56") through the case-funds ``YuanField``; the
models keep integer fen. As elsewhere these serializers only check a request's shape and are
never saved: ``debtors.services`` writes.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casefunds.api.serializers import YuanField, case_party_field
from debtors import rules
from debtors.models import (
    AssetClass,
    BlacklistEntry,
    BlacklistExtension,
    CorrectionRequest,
    Deduction,
    DeletionTask,
    ExposureRecord,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
)
from enforcement.api.serializers import case_field, staff_field

# --- Rotation ---------------------------------------------------------------------------------


class RotationMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = RotationMember
        fields = ["position", "user", "name"]
        read_only_fields = fields


class RotationSerializer(serializers.ModelSerializer):
    members = RotationMemberSerializer(many=True, read_only=True)

    class Meta:
        model = InvestigatorRotation
        fields = ["id", "court", "period_days", "start_date", "members"]
        read_only_fields = fields


class RotationWriteSerializer(serializers.Serializer):
    members = staff_field(
        many=True,
        allow_empty=False,
        help_text=_("The investigation group's members, in the order they take turns."),
    )
    period_days = serializers.IntegerField(min_value=1, max_value=366)
    start_date = serializers.DateField()


# --- Searches and findings --------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    party = serializers.IntegerField(source="search.party_id", read_only=True)
    asset_class_display = serializers.CharField(source="get_asset_class_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    value = YuanField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "search",
            "party",
            "asset_class",
            "asset_class_display",
            "institution",
            "identifier",
            "value",
            "status",
            "status_display",
        ]
        read_only_fields = fields


class SearchSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)
    asset_class_display = serializers.CharField(source="get_asset_class_display", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Search
        fields = [
            "id",
            "party",
            "party_name",
            "asset_class",
            "asset_class_display",
            "performed_at",
            "performed_by",
            "case_number",
            "results",
            "forced_reason",
            "findings",
        ]
        read_only_fields = fields


# --- Investigation requests -------------------------------------------------------------------


class InvestigationRequestSerializer(serializers.ModelSerializer):
    case = case_field()
    case_number = serializers.CharField(source="case.number", read_only=True)
    respondent = case_party_field()
    respondent_name = serializers.CharField(source="respondent.party.name", read_only=True)
    asset_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=AssetClass.choices), allow_empty=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    force_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Given to search anew instead of reusing recent searches of the party."),
    )
    searches = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    missing_classes = serializers.SerializerMethodField()

    class Meta:
        model = InvestigationRequest
        fields = [
            "id",
            "case",
            "case_number",
            "respondent",
            "respondent_name",
            "asset_classes",
            "requested_by",
            "requested_at",
            "status",
            "status_display",
            "assigned_to",
            "force_reason",
            "searches",
            "missing_classes",
        ]
        read_only_fields = [
            "id",
            "requested_by",
            "requested_at",
            "status",
            "assigned_to",
        ]

    def get_missing_classes(self, obj) -> list[str]:
        return obj.missing_classes()


class ForceSearchSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why recent searches of the party must not be reused.")
    )

    def validate_reason(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give a reason."))
        return value


# --- Freezes and deductions -------------------------------------------------------------------


class FreezeRenewalSerializer(serializers.ModelSerializer):
    class Meta:
        model = FreezeRenewal
        fields = ["id", "previous_to", "new_to", "renewed_by", "renewed_at"]
        read_only_fields = fields


class FreezeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    institution = serializers.CharField(source="finding.institution", read_only=True)
    identifier = serializers.CharField(source="finding.identifier", read_only=True)
    asset_class = serializers.CharField(source="finding.asset_class", read_only=True)
    amount = YuanField(read_only=True)
    expired = serializers.BooleanField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    renewals = FreezeRenewalSerializer(many=True, read_only=True)

    class Meta:
        model = Freeze
        fields = [
            "id",
            "finding",
            "case",
            "case_number",
            "respondent",
            "kind",
            "kind_display",
            "asset_class",
            "institution",
            "identifier",
            "amount",
            "from_date",
            "to_date",
            "bank_reference",
            "ordered_by",
            "released_on",
            "expired",
            "active",
            "renewals",
        ]
        read_only_fields = fields


class FreezeOrderSerializer(serializers.Serializer):
    case = case_field()
    kind = serializers.ChoiceField(choices=Freeze.Kind.choices, default=Freeze.Kind.FREEZE)
    amount = YuanField(
        required=False, help_text=_("Bank deposits: how much to freeze; the balance if omitted.")
    )
    from_date = serializers.DateField(
        required=False, help_text=_("The day the order takes effect; today if omitted.")
    )

    def validate_from_date(self, value: dt.date) -> dt.date:
        today = timezone.localdate()
        if not today - dt.timedelta(days=366) <= value <= today + dt.timedelta(days=31):
            raise serializers.ValidationError(
                _("Give a date within the past year or the coming month.")
            )
        return value


class DeductOrderSerializer(serializers.Serializer):
    amount = YuanField()


class DeductionSerializer(serializers.ModelSerializer):
    amount = YuanField(read_only=True)

    class Meta:
        model = Deduction
        fields = [
            "id",
            "finding",
            "case",
            "amount",
            "bank_reference",
            "deposit",
            "ordered_by",
            "deducted_at",
        ]
        read_only_fields = fields


# --- The list's own API: entries, deletion tasks, corrections, restrictions, exposure ---------


def _visible(model):
    """A primary-key field resolved among the records of ``model`` the user may see."""
    from courtexec.visibility import restrict
    from enforcement.api.serializers import VisiblePrimaryKeyField

    def field(**kwargs) -> VisiblePrimaryKeyField:
        return VisiblePrimaryKeyField(
            queryset=model.objects.all(),
            visible=lambda user: restrict(model.objects.all(), user),
            **kwargs,
        )

    return field


class BlacklistExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BlacklistExtension
        fields = ["id", "years", "reason", "approved_by", "created_at"]
        read_only_fields = fields


class BlacklistEntrySerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    respondent_name = serializers.CharField(source="respondent.party.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    grounds = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    extensions = BlacklistExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = BlacklistEntry
        fields = [
            "id", "case", "case_number", "respondent", "respondent_name", "grounds", "facts",
            "decision_number", "decided_on", "assessed_by", "assessed_on", "security_given",
            "frozen_property_value", "assessment_note", "proposed_by", "approved_by",
            "approved_at", "served_on", "published_at", "ends_on", "status", "status_display",
            "deletion_ground", "deletion_ground_arose_on", "deletion_due_on", "deleted_at",
            "created_at", "extensions",
        ]  # fmt: skip
        read_only_fields = fields


class AssessmentSerializer(serializers.Serializer):
    """The officer's assessment (Art. 3), required for ground 1."""

    assessed_by = serializers.CharField(max_length=100)
    assessed_on = serializers.DateField()
    security_given = serializers.BooleanField()
    frozen_property_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, coerce_to_string=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ProposeListingSerializer(serializers.Serializer):
    case = case_field()
    respondent = case_party_field()
    grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.Ground.choices), allow_empty=False
    )
    facts = serializers.CharField(max_length=5000)
    decision_number = serializers.CharField(max_length=100)
    decided_on = serializers.DateField()
    assessment = AssessmentSerializer(required=False, allow_null=True)
    applicant_request = serializers.BooleanField(required=False, default=False)


class ServeSerializer(serializers.Serializer):
    served_on = serializers.DateField()


class ExtendSerializer(serializers.Serializer):
    years = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField(max_length=2000)


class DeleteListingSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=rules.DeletionGround.choices)
    arose_on = serializers.DateField()


class CorrectionRequestSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = ["id", "entry", "ground", "statement", "received_on", "review_due_on", "status",
                  "status_display", "reviewed_on", "correction_due_on", "corrected_at"]  # fmt: skip
        read_only_fields = fields


class FileCorrectionSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=rules.CorrectionGround.choices)
    statement = serializers.CharField(max_length=5000)
    received_on = serializers.DateField()


class ReviewCorrectionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reviewed_on = serializers.DateField()


class DeletionTaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="entry.case.number", read_only=True)
    respondent_name = serializers.CharField(source="entry.respondent.party.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = DeletionTask
        fields = ["id", "entry", "case_number", "respondent_name", "ground", "arisen_on",
                  "due_on", "created_at", "overdue"]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class RestrictionExemptionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = RestrictionExemption
        fields = ["id", "order", "item", "reason", "valid_from", "valid_to", "status",
                  "status_display", "decided_by"]  # fmt: skip
        read_only_fields = fields


class RestrictionOrderSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    respondent_name = serializers.CharField(source="respondent.party.name", read_only=True)
    in_force = serializers.BooleanField(read_only=True)
    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    bound_persons = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = RestrictionOrder
        fields = ["id", "case", "case_number", "respondent", "respondent_name", "entry", "items",
                  "bound_persons", "issued_by", "issued_on", "in_force", "lifted_on",
                  "lifting_reason", "lifting_note"]  # fmt: skip
        read_only_fields = fields


class IssueRestrictionSerializer(serializers.Serializer):
    case = case_field()
    respondent = case_party_field()
    principal_officers = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    directly_responsible = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    actual_controller = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class LiftRestrictionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=rules.LiftingReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequestExemptionSerializer(serializers.Serializer):
    order = _visible(RestrictionOrder)()
    item = serializers.ChoiceField(choices=rules.RestrictedItem.choices)
    reason = serializers.CharField(max_length=2000)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class DecideExemptionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class ExposureRecordSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    case_number = serializers.CharField(source="entry.case.number", read_only=True)
    respondent_name = serializers.CharField(source="entry.respondent.party.name", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExposureRecord
        fields = ["id", "entry", "case_number", "respondent_name", "channel", "channel_display",
                  "outlet", "reference", "published_on", "withdrawn_on", "withdrawal_reason",
                  "is_open", "recorded_by", "recorded_at"]  # fmt: skip
        read_only_fields = fields


class RecordExposureSerializer(serializers.Serializer):
    entry = _visible(BlacklistEntry)()
    channel = serializers.ChoiceField(choices=ExposureRecord.Channel.choices)
    outlet = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    published_on = serializers.DateField(required=False)


class WithdrawExposureSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class NationalExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[("xlsx", "Excel"), ("csv", "CSV")], default="xlsx")


# --- Figures (figures slice) ------------------------------------------------------------------


class PeriodFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    listings = serializers.IntegerField(help_text=_("Entries published in the period."))
    deletions = serializers.IntegerField(help_text=_("Entries deleted in the period."))
    corrections = serializers.IntegerField(help_text=_("Entries corrected in the period."))
    restrictions_issued = serializers.IntegerField()
    restrictions_lifted = serializers.IntegerField()
    past_deadline = serializers.IntegerField(
        help_text=_("Respondents past their performance deadline (the rate's denominator).")
    )
    listed = serializers.IntegerField(help_text=_("Of those, the listed (the numerator)."))
    inclusion_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=_("Percent; null without a denominator."),
    )


class FiguresSerializer(serializers.Serializer):
    total = PeriodFiguresSerializer()
    months = PeriodFiguresSerializer(many=True)
    notice_days = serializers.IntegerField(
        help_text=_("Days an execution notice gives to perform (DEBTORS_PERFORMANCE_NOTICE_DAYS).")
    )
    definition = serializers.CharField()


# --- Public search (公开查询) ------------------------------------------------------------------


class PublicSearchQuerySerializer(serializers.Serializer):
    """Only documents the query; the length rule lives in ``selectors.public_query_key``."""

    q = serializers.CharField(
        help_text=_(
            "A name (matched from its start), a person's 18-digit ID number or an "
            "organisation's unified social credit code (matched exactly); at least 2 characters."
        )
    )
    page = serializers.IntegerField(required=False, default=1, min_value=1)


class PublicEntrySerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField(
        help_text=_(
            "A person's ID number masked (at most the first and last 4 characters, never the "
            "birth date); an organisation's unified social credit code."
        )
    )
    legal_representative = serializers.CharField(
        allow_null=True, help_text=_("An organisation's legal representative; null for a person.")
    )
    case_number = serializers.CharField()
    court = serializers.CharField()
    grounds = serializers.ListField(child=serializers.CharField())
    obligation = serializers.CharField()
    performance = serializers.CharField()
    published_at = serializers.DateTimeField()


class PublicSearchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=_(
            "Matches, counted up to the 1,000 that can be paged to (20 a page, 50 pages); "
            "narrow the query to see others."
        )
    )
    results = PublicEntrySerializer(many=True)
