"""Registry API under ``/api/v1/vehicles/``: vehicles, surveillances (布控) with their lifting,
the wanted list (for the police, also as Excel or CSV), and sightings reported by staff, the
police liaison or a partner system's token. Thin: serializers check the shape,
``vehicles.services`` decides (400 field errors, 403, 404, 409 for a conflict)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action

from casefunds.api.views import CONFLICT
from courtexec.api.permissions import CHANGE
from courtexec.roles import Role
from courtexec.visibility import restrict
from enforcement.api.serializers import VisiblePrimaryKeyField, case_field
from enforcement.api.views import FORBIDDEN, INVALID, NOT_FOUND, EnforcementViewSet, user_court
from enforcement.exports import XLSX_CONTENT_TYPE
from enforcement.models import Party
from vehicles import exports_registry, selectors, services
from vehicles.models import Impound, Sighting, Surveillance, Vehicle, VehicleClass

WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
SEEN_YEARS = (2000, 2100)  # a sighting outside these years is a typing slip


def _party_field(**kwargs) -> VisiblePrimaryKeyField:
    return VisiblePrimaryKeyField(
        queryset=Party.objects.all(),
        visible=lambda user: restrict(Party.objects.all(), user),
        **kwargs,
    )


# --- Serializers -------------------------------------------------------------------------------


class VehicleSerializer(serializers.ModelSerializer):
    vehicle_class_display = serializers.CharField(
        source="get_vehicle_class_display", read_only=True
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    case_numbers = serializers.SlugRelatedField(
        source="cases", slug_field="number", many=True, read_only=True
    )

    class Meta:
        model = Vehicle
        fields = ["id", "court", "plate", "vin", "vehicle_class", "vehicle_class_display",
                  "make_model", "colour", "owner", "owner_name", "cases", "case_numbers",
                  "registered_by", "created_at"]  # fmt: skip
        read_only_fields = fields


class VehicleWriteSerializer(serializers.Serializer):
    plate = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    vin = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    vehicle_class = serializers.ChoiceField(
        choices=VehicleClass.choices, required=False, default=VehicleClass.SMALL
    )
    make_model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    colour = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    owner = _party_field()
    cases = case_field(many=True, required=False)


class VehicleUpdateSerializer(VehicleWriteSerializer):
    cases = None


class VehicleFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[selectors.NOT_IMPOUNDED, selectors.UNDER_SURVEILLANCE, *Impound.State.values],
        required=False,
    )
    custodian = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    case = serializers.CharField(max_length=60, required=False)
    min_days = serializers.IntegerField(min_value=0, max_value=36500, required=False)
    plate = serializers.CharField(max_length=30, required=False)


class SurveillanceSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Surveillance
        fields = ["id", "vehicle", "plate", "case", "case_number", "reason", "starts_on",
                  "ends_on", "active", "requested_by", "created_at", "lifted_at", "lifted_by",
                  "lift_reason"]  # fmt: skip
        read_only_fields = fields

    def get_active(self, surveillance: Surveillance) -> bool:
        return services.surveillance_is_active(surveillance, timezone.localdate())


class SurveillanceWriteSerializer(serializers.Serializer):
    vehicle = VisiblePrimaryKeyField(
        queryset=Vehicle.objects.all(), visible=selectors.visible_vehicles
    )
    case = case_field()
    reason = serializers.CharField(max_length=300)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class WantedSerializer(serializers.ModelSerializer):
    """One entry of the wanted list, as the police need it."""

    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    vin = serializers.CharField(source="vehicle.vin", read_only=True)
    make_model = serializers.CharField(source="vehicle.make_model", read_only=True)
    colour = serializers.CharField(source="vehicle.colour", read_only=True)
    owner = serializers.CharField(source="vehicle.owner.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    judge = serializers.CharField(source="case.judge", read_only=True)
    judge_phone = serializers.CharField(source="case.judge.phone", read_only=True)

    class Meta:
        model = Surveillance
        fields = ["id", "plate", "vin", "make_model", "colour", "owner", "case_number", "judge",
                  "judge_phone", "starts_on", "ends_on", "reason"]  # fmt: skip
        read_only_fields = fields


class SightingMatchSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Surveillance
        fields = ["id", "vehicle", "case", "case_number"]
        read_only_fields = fields


class SightingSerializer(serializers.ModelSerializer):
    """Police and partner systems learn whether it matched and the case number; staff also get
    the matched surveillances (vehicle and case ids)."""

    matched = serializers.SerializerMethodField()
    case_numbers = serializers.SerializerMethodField()
    matches = serializers.SerializerMethodField()

    class Meta:
        model = Sighting
        fields = ["id", "plate_as_reported", "plate", "place", "seen_at", "note", "source",
                  "reported_at", "matched", "case_numbers", "matches"]  # fmt: skip
        read_only_fields = fields

    def get_matched(self, sighting: Sighting) -> bool:
        return bool(sighting.matches.all())

    def get_case_numbers(self, sighting: Sighting) -> list[str]:
        return sorted({match.case.number for match in sighting.matches.all()})

    @extend_schema_field(SightingMatchSerializer(many=True, allow_null=True))
    def get_matches(self, sighting: Sighting) -> list[dict] | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or _is_outside_reporter(user):
            return None
        return SightingMatchSerializer(sighting.matches.all(), many=True).data


class SightingWriteSerializer(serializers.Serializer):
    plate = serializers.CharField(max_length=40)
    place = serializers.CharField(max_length=300)
    seen_at = serializers.DateTimeField(
        help_text="ISO 8601 with offset, e.g. 2026-03-01T21:15:00+08:00"
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_seen_at(self, value: dt.datetime) -> dt.datetime:
        try:
            value = value.astimezone(dt.UTC)  # PostgreSQL refuses offsets beyond ±15:59
        except (OverflowError, ValueError):
            raise serializers.ValidationError(_("This is not a valid time.")) from None
        if not SEEN_YEARS[0] <= value.year <= SEEN_YEARS[1]:
            raise serializers.ValidationError(_("This is not a valid time."))
        return value


def _is_outside_reporter(user) -> bool:
    """A police liaison or partner system: told whether a plate is wanted, not the file."""
    return not user.is_superuser and (
        user.has_role(Role.POLICE_LIAISON) or user.has_role(Role.SIGHTING_PARTNER)
    )


# --- Views -------------------------------------------------------------------------------------

VEHICLE_FILTERS = [
    OpenApiParameter(
        "status",
        str,
        description="An impound state, not_impounded or under_surveillance",
        enum=[selectors.NOT_IMPOUNDED, selectors.UNDER_SURVEILLANCE, *Impound.State.values],
    ),
    OpenApiParameter("custodian", int, description="Custodian id (open impounds)"),
    OpenApiParameter("case", str, description="Case number, contains"),
    OpenApiParameter("min_days", int, description="At least this many days in custody"),
    OpenApiParameter("plate", str, description="Plate or VIN, contains (normalised)"),
]


@extend_schema_view(
    list=extend_schema(summary="Vehicles your court sees, filtered", parameters=VEHICLE_FILTERS),
    retrieve=extend_schema(summary="One vehicle"),
    update=extend_schema(
        summary="Correct a vehicle's particulars",
        request=VehicleUpdateSerializer,
        responses={200: VehicleSerializer, **WRITE_ERRORS},
    ),
)
@extend_schema(tags=["vehicles"])
class VehicleViewSet(EnforcementViewSet):
    """Vehicles known to the court: plate and VIN normalised and checked."""

    queryset = Vehicle.objects.all()
    serializer_class = VehicleSerializer
    filter_backends: list = []
    # Registered at the prefix's root: digits only, so the other parts' routes
    # (``impounds/``, ``custodians/``…) never read as a vehicle id.
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vehicle.objects.none()
        queryset = selectors.visible_vehicles(self.request.user).prefetch_related("cases")
        if self.action == "list":
            query = VehicleFilterSerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            data = query.validated_data
            queryset = selectors.filter_vehicles(
                queryset,
                selectors.VehicleFilters(
                    status=data.get("status", ""),
                    custodian=data.get("custodian"),
                    case=data.get("case", ""),
                    min_days=data.get("min_days"),
                    plate=data.get("plate", ""),
                ),
            )
        return queryset.order_by("plate", "pk")

    @extend_schema(
        summary="Register a vehicle (plate or VIN, owner a party of each linked case)",
        request=VehicleWriteSerializer,
        responses={201: VehicleSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = self.validated(VehicleWriteSerializer)
        vehicle = services.register_vehicle(
            user=request.user, court=user_court(request.user), **data
        )
        return self.respond(vehicle, code=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        vehicle = self.get_object()
        data = self.validated(VehicleUpdateSerializer)
        data.pop("cases", None)
        return self.respond(services.update_vehicle(user=request.user, vehicle=vehicle, **data))


@extend_schema_view(
    list=extend_schema(summary="Surveillances (布控) your court sees"),
    retrieve=extend_schema(summary="One surveillance"),
)
@extend_schema(tags=["vehicles"])
class SurveillanceViewSet(EnforcementViewSet):
    """Vehicles put on the wanted list for a case, for a period."""

    queryset = Surveillance.objects.all()
    serializer_class = SurveillanceSerializer
    filterset_fields = ["vehicle", "case"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Surveillance.objects.none()
        return selectors.visible_surveillances(self.request.user)

    @extend_schema(
        summary="Put a vehicle on the wanted list for an open case",
        request=SurveillanceWriteSerializer,
        responses={201: SurveillanceSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = self.validated(SurveillanceWriteSerializer)
        surveillance = services.place_under_surveillance(user=request.user, **data)
        return self.respond(surveillance, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lift a surveillance, with the reason",
        request=LiftSerializer,
        responses={200: SurveillanceSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], required_perms=[CHANGE])
    def lift(self, request, pk=None):
        surveillance = self.get_object()
        data = self.validated(LiftSerializer)
        return self.respond(
            services.lift_surveillance(
                user=request.user, surveillance=surveillance, reason=data["reason"]
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="The wanted list (布控名单): surveillances in force today",
        parameters=[
            OpenApiParameter("q", str, description="Plate, VIN, case number or owner"),
            OpenApiParameter(
                "export",
                str,
                enum=["xlsx", "csv"],
                description="Download the whole list as Excel or CSV instead of JSON",
            ),
        ],
        responses={
            (200, "application/json"): WantedSerializer(many=True),
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.STR,
            403: FORBIDDEN,
        },
    ),
)
@extend_schema(tags=["vehicles"])
class WantedListViewSet(EnforcementViewSet):
    """Read by staff and the police liaison; only the entries in force."""

    queryset = Surveillance.objects.all()
    serializer_class = WantedSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Surveillance.objects.none()
        entries = selectors.wanted_list(self.request.user)
        search = str(self.request.query_params.get("q", "")).strip()[:60]
        if search:
            entries = selectors.search_wanted(entries, search)
        return entries

    def list(self, request, *args, **kwargs):
        export = request.query_params.get("export")
        if export in ("xlsx", "csv"):
            return exports_registry.wanted_response(self.get_queryset().iterator(), export)
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Sightings; a police liaison or partner sees only its own"),
    retrieve=extend_schema(summary="One sighting"),
)
@extend_schema(tags=["vehicles"])
class SightingViewSet(EnforcementViewSet):
    """Reports that a plate was seen, matched against the wanted list."""

    queryset = Sighting.objects.all()
    serializer_class = SightingSerializer
    filterset_fields = ["source", "plate"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Sighting.objects.none()
        return selectors.visible_sightings(self.request.user).prefetch_related("matches__case")

    @extend_schema(
        summary="Report a sighting: the plate is normalised and matched; a match alerts the "
        "case judge (and out of hours the team on duty)",
        request=SightingWriteSerializer,
        responses={201: SightingSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        data = self.validated(SightingWriteSerializer)
        sighting = services.report_sighting(
            user=request.user,
            court=user_court(request.user),
            report=services.SightingReport(**data),
        )
        return self.respond(sighting, code=status.HTTP_201_CREATED)
