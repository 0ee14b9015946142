"""Callouts API under ``/api/v1/standby/callouts/``: the police report a catch, the bureau works
it through acknowledge → dispatch → hand-over → outcome. Thin: serializers check the shape,
``standby.services`` decides (400 field errors, 403, 404, 409 for a step in the wrong state)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from casefunds.api.serializers import visible
from casefunds.api.views import CONFLICT
from casefunds.services import parse_yuan
from courtexec.api.permissions import CHANGE
from enforcement.api.serializers import staff_field
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, EnforcementViewSet
from enforcement.models import CoerciveMeasure
from standby import selectors, services
from standby.models import Callout, CalloutEvent

STEP_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


class CalloutEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalloutEvent
        fields = ["kind", "at", "by", "note"]
        read_only_fields = fields


class CalloutSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    case_number = serializers.CharField(source="matched_case.number", read_only=True, default=None)
    is_assist = serializers.BooleanField(read_only=True)
    events = CalloutEventSerializer(many=True, read_only=True)

    class Meta:
        model = Callout
        fields = ["id", "reference", "court", "reported_by", "reported_at", "police_station",
                  "police_officer", "police_phone", "caught_at", "person_name",
                  "person_id_number", "wanted_reference", "requesting_court_name",
                  "requesting_court_code", "is_assist", "matched_case", "case_number",
                  "matched_party", "shift", "handover_deadline", "status", "status_display",
                  "acknowledged_at", "acknowledged_by", "dispatched_at", "dispatched_by",
                  "handed_over_at", "handed_over_to", "handover_place", "closed_at", "closed_by",
                  "escalation_level", "escalated_at", "deadline_warned_at", "deadline_missed_at",
                  "outcome", "outcome_display", "amount_paid", "deposit", "promise_due_on",
                  "measure", "transfer_recipient", "outcome_note", "events"]  # fmt: skip
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    police_station = serializers.CharField(max_length=100)
    police_officer = serializers.CharField(max_length=50)
    police_phone = serializers.CharField(max_length=30)
    caught_at = serializers.DateTimeField()
    person_name = serializers.CharField(max_length=100)
    person_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    wanted_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    requesting_court_name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("Empty when the case is this court's own; otherwise an assist (异地协助)."),
    )
    requesting_court_code = serializers.CharField(max_length=20, required=False, allow_blank=True)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HandOverSerializer(serializers.Serializer):
    taken_over_by = staff_field(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Callout.Outcome.choices)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    amount = serializers.CharField(
        max_length=20, required=False, help_text=_("Yuan, for a payment, e.g. 5000.00.")
    )
    received_by = staff_field(required=False, allow_null=True)
    second_officer = staff_field(required=False, allow_null=True)
    promise_due_on = serializers.DateField(required=False, allow_null=True)
    measure = visible(CoerciveMeasure, kind=CoerciveMeasure.Kind.DETENTION)(
        required=False, allow_null=True
    )
    detention_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=15
    )
    transfer_recipient = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate_amount(self, value: str) -> int:
        from django.core.exceptions import ValidationError

        try:
            return parse_yuan(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


@extend_schema_view(
    list=extend_schema(summary="Callouts (police catches); a police liaison sees only their own"),
    retrieve=extend_schema(summary="One callout with its timeline"),
)
@extend_schema(tags=["standby"])
class CalloutViewSet(EnforcementViewSet):
    """Police callouts: the 20:00–08:00 handover deadline, escalation, outcome."""

    queryset = Callout.objects.all()
    serializer_class = CalloutSerializer
    filterset_fields = ["status", "outcome"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Callout.objects.none()
        return selectors.visible_callouts(self.request.user).prefetch_related("events")

    @extend_schema(
        summary="Report a caught debtor: the deadline is computed, the team on duty notified",
        request=ReportSerializer,
        responses={201: CalloutSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        from enforcement.api.views import user_court

        data = self.validated(ReportSerializer)
        callout = services.report_callout(
            court=user_court(request.user), user=request.user, report=services.CalloutReport(**data)
        )
        return self.respond(callout, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Acknowledge (stops the escalation)",
        request=None,
        responses={200: CalloutSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def acknowledge(self, request, pk=None):
        return self.respond(
            services.acknowledge_callout(callout=self.get_object(), user=request.user)
        )

    @extend_schema(
        summary="The team sets out",
        request=NoteSerializer,
        responses={200: CalloutSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="dispatch", required_perms=[CHANGE])
    def dispatch_team(self, request, pk=None):
        data = self.validated(NoteSerializer)
        callout = services.dispatch_callout(
            callout=self.get_object(), user=request.user, note=data.get("note", "")
        )
        return self.respond(callout)

    @extend_schema(
        summary="The police hand the person over to the court",
        request=HandOverSerializer,
        responses={200: CalloutSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="hand-over", required_perms=[CHANGE])
    def hand_over(self, request, pk=None):
        data = self.validated(HandOverSerializer)
        callout = services.hand_over_callout(
            callout=self.get_object(),
            user=request.user,
            taken_over_by=data.get("taken_over_by"),
            place=data.get("place", ""),
        )
        return self.respond(callout)

    @extend_schema(
        summary="Close with the outcome; a payment is a counter receipt counted by two "
        "finance officers on the respondent's sub-account of the matched case",
        request=OutcomeSerializer,
        responses={200: CalloutSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def outcome(self, request, pk=None):
        data = self.validated(OutcomeSerializer)
        callout = services.record_outcome(
            callout=self.get_object(),
            user=request.user,
            outcome=services.Outcome(
                outcome=data["outcome"],
                note=data.get("note", ""),
                amount=data.get("amount") or 0,
                received_by=data.get("received_by"),
                second_officer=data.get("second_officer"),
                promise_due_on=data.get("promise_due_on"),
                measure=data.get("measure"),
                detention_days=data.get("detention_days"),
                transfer_recipient=data.get("transfer_recipient", ""),
            ),
        )
        return self.respond(callout)
