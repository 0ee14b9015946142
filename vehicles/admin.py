"""Court-scoped admin pages of the vehicles app (each part of the app adds its own below)."""

from __future__ import annotations

# --- vehicles and surveillance ---
from django.contrib import admin

from courtexec.admin import CourtScopedAdmin, ReadOnlyAdmin
from courtexec.visibility import restrict
from vehicles.models import Sighting, Surveillance, Vehicle


class _RecordsAdmin(ReadOnlyAdmin, CourtScopedAdmin):
    """A window with history: vehicles and surveillances change through the services (the
    registry pages and the API), where plates, owners and periods are checked."""


@admin.register(Vehicle)
class VehicleAdmin(_RecordsAdmin):
    list_display = ["plate", "vin", "vehicle_class", "make_model", "colour", "owner", "court"]
    list_filter = ["vehicle_class"]
    search_fields = ["plate", "vin", "make_model", "owner__name"]
    list_select_related = ["owner", "court"]


@admin.register(Surveillance)
class SurveillanceAdmin(_RecordsAdmin):
    list_display = ["vehicle", "case", "starts_on", "ends_on", "lifted_at", "requested_by"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["vehicle__plate", "case__number", "reason"]
    date_hierarchy = "starts_on"
    list_select_related = ["vehicle", "case", "requested_by"]


@admin.register(Sighting)
class SightingAdmin(ReadOnlyAdmin):
    list_display = ["plate", "plate_as_reported", "place", "seen_at", "source", "reported_by"]
    list_filter = ["source"]
    search_fields = ["plate", "place"]
    date_hierarchy = "seen_at"
    list_select_related = ["reported_by"]

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)


# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
