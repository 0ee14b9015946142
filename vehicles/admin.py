"""Court-scoped admin pages of the vehicles app (each part of the app adds its own below)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# --- vehicles and surveillance ---
from courtexec.admin import CourtScopedAdmin, ReadOnlyAdmin
from courtexec.visibility import restrict
from enforcement.admin import EnforcementAdmin, RelatedOnly, ScopedInline
from vehicles.models import CustodyEvent, CustodyPhoto, Impound, Sighting, Surveillance, Vehicle


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


class CustodyEventInline(ScopedInline):
    """The chain of custody, read-only: it changes only by the lifecycle services."""

    model = CustodyEvent
    fields = ["at", "kind", "handed_by", "received_by", "condition", "note", "recorded_by"]
    readonly_fields = fields


@admin.register(Impound)
class ImpoundAdmin(EnforcementAdmin):
    """Impounds of the user's courts; state and chain read-only (only services move them)."""

    view_only = True
    list_display = ["vehicle", "case", "state", "seized_at", "custodian", "lot", "bay", "disposal"]
    list_filter = ["state", "disposal", ("custodian", RelatedOnly)]
    search_fields = ["vehicle__plate", "vehicle__vin", "case__number", "decision_number"]
    date_hierarchy = "seized_at"
    list_select_related = ["vehicle", "case", "custodian", "lot"]
    inlines = [CustodyEventInline]


class _AppendOnlyAdmin(ReadOnlyAdmin):
    """Append-only records: looked at here, never changed or deleted (a trigger refuses too)."""

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)


@admin.register(CustodyEvent)
class CustodyEventAdmin(_AppendOnlyAdmin):
    list_display = ["impound", "kind", "at", "handed_by", "received_by", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["impound__vehicle__plate", "handed_by", "received_by"]
    date_hierarchy = "at"
    list_select_related = ["impound__vehicle", "recorded_by"]


@admin.register(CustodyPhoto)
class CustodyPhotoAdmin(_AppendOnlyAdmin):
    list_display = ["event", "uploaded_at", "thumbnail"]
    list_select_related = ["event__impound__vehicle"]
    exclude = ["image"]
    readonly_fields = ["event", "uploaded_at", "thumbnail"]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: CustodyPhoto) -> str:
        return format_html('<img src="{}" alt="" style="max-height:80px">', obj.get_absolute_url())


# --- custodians, fees and stock checks ---
