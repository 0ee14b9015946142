"""Impounds API under ``/api/v1/vehicles/impounds/``: seize, then each step of the lifecycle as
an action; the chain of custody under ``/api/v1/vehicles/custody-events/``, read-only. Thin:
serializers check the shape, ``vehicles.services`` decides (400 field errors, 403, 404, 409 for
a step the impound's state does not allow or a full lot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from casefunds.api.serializers import visible
from casefunds.api.views import CONFLICT
from courtexec.api.permissions import CHANGE
from enforcement.api.serializers import VisiblePrimaryKeyField, case_field, staff_field
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, EnforcementViewSet
from vehicles import rules, selectors, services
from vehicles.models import Custodian, CustodyEvent, CustodyPhoto, Impound, Lot, Vehicle

STEP_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
PHOTO_HELP = _("JPEG, PNG or WebP images of at most 10 MB (multipart upload).")
SIGNATURE_HELP = _("The signature drawn on the screen, as a PNG data URL.")


class CustodyPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CustodyPhoto
        fields = ["id", "url", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, photo: CustodyPhoto) -> str:
        return photo.get_absolute_url()


class CustodyEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    photos = CustodyPhotoSerializer(many=True, read_only=True)
    signed = serializers.SerializerMethodField()

    class Meta:
        model = CustodyEvent
        fields = ["id", "impound", "kind", "kind_display", "at", "handed_by", "received_by",
                  "condition", "note", "signed", "recorded_by", "recorded_at",
                  "photos"]  # fmt: skip
        read_only_fields = fields

    def get_signed(self, event: CustodyEvent) -> bool:
        return bool(event.signature)


class ImpoundSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    events = CustodyEventSerializer(many=True, read_only=True)

    class Meta:
        model = Impound
        fields = ["id", "vehicle", "plate", "case", "case_number", "state", "state_display",
                  "decision_number", "seized_at", "seized_place", "officers", "damage",
                  "condition_notes", "keys_received", "documents_received", "odometer_km",
                  "tow_approved_by", "tow_approved_at", "custodian", "towed_at", "tow_driver",
                  "tow_from", "tow_to", "lot", "bay", "intake_at", "disposal",
                  "disposal_reference", "disposal_decided_at", "ended_at", "received_by_name",
                  "recorded_by", "created_at", "allowed_actions", "events"]  # fmt: skip
        read_only_fields = fields

    def get_allowed_actions(self, impound: Impound) -> list[str]:
        if "custodian_user" not in self.context:  # once per response, not once per impound
            request = self.context.get("request")
            self.context["custodian_user"] = bool(
                request and selectors.is_custodian_user(request.user)
            )
        return rules.allowed_actions(impound, custodian_user=self.context["custodian_user"])


def _photos() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ImageField(allow_empty_file=False),
        required=False,
        max_length=services.MAX_PHOTOS,
        help_text=PHOTO_HELP,
    )


def _condition() -> serializers.ListField:
    """Damage codes seen at a hand-over (the codes of ``damage`` at the seizure)."""
    return serializers.ListField(
        child=serializers.CharField(max_length=30),
        required=False,
        max_length=len(rules.DAMAGE_CHECKLIST),
        help_text=_("Damage codes: %(codes)s.")
        % {"codes": ", ".join(code for code, _label in rules.DAMAGE_CHECKLIST)},
    )


class SeizeSerializer(serializers.Serializer):
    vehicle = VisiblePrimaryKeyField(
        queryset=Vehicle.objects.all(), visible=selectors.visible_vehicles
    )
    case = case_field()
    decision_number = serializers.CharField(max_length=60)
    seized_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300)
    officers = serializers.ListField(child=staff_field(), required=False, max_length=10)
    damage = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.DAMAGE_CHECKLIST),
        required=False,
        max_length=len(rules.DAMAGE_CHECKLIST),
    )
    condition_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    keys_received = serializers.IntegerField(min_value=0, max_value=20, required=False, default=0)
    documents_received = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.DOCUMENT_CHECKLIST),
        required=False,
        max_length=len(rules.DOCUMENT_CHECKLIST),
    )
    odometer = serializers.IntegerField(
        min_value=0, max_value=5_000_000, required=False, allow_null=True
    )
    holder_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    photos = _photos()


class TowApprovalSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    at = serializers.DateTimeField(
        required=False, help_text="When the approval was given (default: now)."
    )


class TowSerializer(serializers.Serializer):
    custodian = visible(Custodian)()
    towed_at = serializers.DateTimeField()
    driver = serializers.CharField(max_length=100)
    tow_from = serializers.CharField(max_length=300, required=False, allow_blank=True)
    tow_to = serializers.CharField(max_length=300, required=False, allow_blank=True)
    condition = _condition()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    signature = serializers.CharField(required=False, allow_blank=True, help_text=SIGNATURE_HELP)
    photos = _photos()


class IntakeSerializer(serializers.Serializer):
    lot = visible(Lot)()
    bay = serializers.CharField(max_length=20)
    intake_at = serializers.DateTimeField()
    custodian_signatory = serializers.CharField(max_length=150)
    signature = serializers.CharField(help_text=SIGNATURE_HELP)
    condition = _condition()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    photos = _photos()


class MoveSerializer(serializers.Serializer):
    lot = visible(Lot)()
    bay = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class DisposalSerializer(serializers.Serializer):
    disposal = serializers.ChoiceField(choices=Impound.Disposal.choices)
    reference = serializers.CharField(max_length=100)
    at = serializers.DateTimeField(
        required=False, help_text="When the decision was made (default: now)."
    )


class CustodyHandOverSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    received_by_name = serializers.CharField(max_length=200)
    signature = serializers.CharField(help_text=SIGNATURE_HELP)
    condition = _condition()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    photos = _photos()


HAND_OVER_REQUEST = {
    "application/json": CustodyHandOverSerializer,
    "multipart/form-data": CustodyHandOverSerializer,
}


@extend_schema_view(
    list=extend_schema(summary="Impounds you may see (a custodian's users: their own custody)"),
    retrieve=extend_schema(summary="One impound with its chain of custody"),
)
@extend_schema(tags=["vehicles"])
class ImpoundViewSet(EnforcementViewSet):
    """Seizure, towing, custody and the hand-overs that end it."""

    queryset = Impound.objects.all()
    serializer_class = ImpoundSerializer
    filterset_fields = ["state", "custodian", "case"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Impound.objects.none()
        return (
            selectors.visible_impounds(self.request.user)
            .prefetch_related("officers", "events__photos")
            .order_by("-seized_at", "-pk")
        )

    def _step(self, action_name: str, serializer_class=None):
        data = self.validated(serializer_class) if serializer_class else {}
        impound = services.LIFECYCLE_SERVICES[action_name](
            impound=self.get_object(), user=self.request.user, **data
        )
        return self.respond(impound)

    @extend_schema(
        summary="Seize a vehicle for a case (JSON, or multipart with photos)",
        request={"application/json": SeizeSerializer, "multipart/form-data": SeizeSerializer},
        responses={201: ImpoundSerializer, 400: INVALID, 403: FORBIDDEN, 409: CONFLICT},
    )
    def create(self, request):
        data = self.validated(SeizeSerializer)
        impound = services.seize(user=request.user, **data)
        return self.respond(impound, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve towing (a second person)",
        request=TowApprovalSerializer,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="approve-tow",
        required_perms=["vehicles.approve_tow"],
    )
    def approve_tow(self, request, pk=None):
        return self._step("approve-tow", TowApprovalSerializer)

    @extend_schema(
        summary="Hand the vehicle to the custodian's tow driver",
        request={"application/json": TowSerializer, "multipart/form-data": TowSerializer},
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def tow(self, request, pk=None):
        return self._step("tow", TowSerializer)

    @extend_schema(
        summary="Take into custody in a lot and bay (the lot's capacity is enforced)",
        request={"application/json": IntakeSerializer, "multipart/form-data": IntakeSerializer},
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def intake(self, request, pk=None):
        return self._step("intake", IntakeSerializer)

    @extend_schema(
        summary="Move to another bay or lot of the same custodian",
        request=MoveSerializer,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def move(self, request, pk=None):
        return self._step("move", MoveSerializer)

    @extend_schema(
        summary="Decide the disposal: release or auction",
        request=DisposalSerializer,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="decide-disposal", required_perms=[CHANGE])
    def decide_disposal(self, request, pk=None):
        return self._step("decide-disposal", DisposalSerializer)

    @extend_schema(
        summary="Release to the owner (返还)",
        request=HAND_OVER_REQUEST,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def release(self, request, pk=None):
        return self._step("release", CustodyHandOverSerializer)

    @extend_schema(
        summary="Hand to the auction (移交拍卖)",
        request=HAND_OVER_REQUEST,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="to-auction", required_perms=[CHANGE])
    def to_auction(self, request, pk=None):
        return self._step("to-auction", CustodyHandOverSerializer)

    @extend_schema(
        summary="Deliver to the buyer (交付)",
        request=HAND_OVER_REQUEST,
        responses={200: ImpoundSerializer, **STEP_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def deliver(self, request, pk=None):
        return self._step("deliver", CustodyHandOverSerializer)


@extend_schema_view(
    list=extend_schema(summary="Links of the chain of custody you may see (append-only)"),
    retrieve=extend_schema(summary="One link of the chain of custody"),
)
@extend_schema(tags=["vehicles"])
class CustodyEventViewSet(EnforcementViewSet):
    """The chain of custody, read-only: links are added by the impound actions only."""

    queryset = CustodyEvent.objects.all()
    serializer_class = CustodyEventSerializer
    filterset_fields = ["impound", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CustodyEvent.objects.none()
        return (
            selectors.visible_events(self.request.user)
            .prefetch_related("photos")
            .order_by("impound", "at", "pk")
        )
