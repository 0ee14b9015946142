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
from debtors.models import (
    AssetClass,
    Deduction,
    Finding,
    Freeze,
    FreezeRenewal,
    InvestigationRequest,
    InvestigatorRotation,
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
