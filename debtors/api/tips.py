"""Tips API (举报线索) under ``/api/v1/debtors/tips/``: list with the board's filters, hotline
logging, routing by hand and the outcome of the check. Thin: serializers check the shape,
``debtors.services`` decides."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from casefunds.api.serializers import case_party_field, visible
from courtexec.api.permissions import CHANGE
from debtors import services
from debtors.models import AssetClass, Finding, Freeze, Tip
from debtors.tips.filtersets import TipFilterSet
from enforcement.api.serializers import case_field
from enforcement.api.views import FORBIDDEN, INVALID, WRITE_ERRORS, EnforcementViewSet

finding_field = visible(Finding)
freeze_field = visible(Freeze)


class TipSerializer(serializers.ModelSerializer):
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Tip
        fields = ["id", "reference", "court", "source", "source_display", "debtor_name",
                  "debtor_id_number", "details", "location", "contact_name", "contact_phone",
                  "has_photo", "received_at", "logged_by", "status", "status_display",
                  "matched_party", "case", "case_number", "judge", "match_basis", "routed_at",
                  "routed_by", "check_due_on", "overdue", "outcome", "outcome_display",
                  "outcome_note", "investigation_request", "finding", "freeze", "checked_by",
                  "checked_at", "overdue_alerted_at"]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, tip: Tip) -> bool:
        return tip.is_overdue()

    def get_has_photo(self, tip: Tip) -> bool:
        return bool(tip.photo)


class HotlineTipSerializer(serializers.Serializer):
    debtor_name = serializers.CharField(max_length=200)
    debtor_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    details = serializers.CharField(max_length=4000)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    photo = serializers.FileField(required=False, allow_null=True)
    received_at = serializers.DateTimeField(
        required=False, help_text=_("When the call came in (default: now).")
    )


class RouteTipSerializer(serializers.Serializer):
    case = case_field()
    respondent = case_party_field(
        required=False,
        allow_null=True,
        help_text=_("The respondent the tip is about; needed when the case has several."),
    )


class TipOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Tip.Outcome.choices)
    note = serializers.CharField(max_length=4000)
    asset_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=AssetClass.choices),
        required=False,
        help_text=_("Property found: ask the investigation group to search these classes."),
    )
    finding = finding_field(required=False, allow_null=True)
    freeze = freeze_field(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="Tips (举报线索); `overdue=true` for those past their 5-day check, "
        "`unrouted=true` for the bureau's queue"
    ),
    retrieve=extend_schema(summary="One tip"),
)
@extend_schema(tags=["debtors"])
class TipViewSet(EnforcementViewSet):
    """Property leads from the public web form and the 24-hour hotline."""

    queryset = Tip.objects.select_related("case").order_by("-received_at", "-pk")
    serializer_class = TipSerializer
    filterset_class = TipFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Log a hotline call as a tip of your court; it is routed at once",
        request=HotlineTipSerializer,
        responses={201: TipSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(HotlineTipSerializer)
        tip = services.log_hotline_tip(user=request.user, **data)
        return self.respond(tip, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Route the tip by hand to an open case of the court (chiefs, investigation group)",
        request=RouteTipSerializer,
        responses={200: TipSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def route(self, request, pk=None):
        data = self.validated(RouteTipSerializer)
        tip = services.assign_tip(
            tip=self.get_object(),
            case=data["case"],
            respondent=data.get("respondent"),
            user=request.user,
        )
        return self.respond(tip)

    @extend_schema(
        summary="Record what checking the lead showed; property found links to an "
        "investigation request, a finding or a freeze",
        request=TipOutcomeSerializer,
        responses={200: TipSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def outcome(self, request, pk=None):
        data = self.validated(TipOutcomeSerializer)
        tip = services.record_tip_outcome(
            tip=self.get_object(),
            outcome=data["outcome"],
            note=data["note"],
            asset_classes=data.get("asset_classes") or (),
            finding=data.get("finding"),
            freeze=data.get("freeze"),
            user=request.user,
        )
        return self.respond(tip)
