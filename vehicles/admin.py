"""Court-scoped admin pages of the vehicles app (each part of the app adds its own below)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courtexec.admin import CourtScopedAdmin, ReadOnlyAdmin
from courtexec.visibility import restrict
from enforcement.admin import EnforcementAdmin, RelatedOnly, ScopedInline
from vehicles import services
from vehicles.models import (
    AgreementRate,
    Custodian,
    CustodyAgreement,
    CustodyEvent,
    CustodyInvoice,
    CustodyInvoiceLine,
    CustodyPhoto,
    FeePosting,
    Impound,
    Lot,
    Sighting,
    StockCheck,
    StockCheckLine,
    Surveillance,
    Vehicle,
)

# --- vehicles and surveillance ---


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


@admin.register(Custodian)
class CustodianAdmin(EnforcementAdmin):
    """Kept through ``services.save_custodian`` (credit code checked) and
    ``set_custodian_members`` (members get the custodian role)."""

    list_display = ["name", "court", "credit_code", "contact", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["name", "credit_code"]
    editable_fields = ("name", "credit_code", "contact", "phone", "address", "active", "members")
    hidden_fields = ("court",)

    def has_add_permission(self, request, obj=None) -> bool:
        return bool(request.user.has_perm("vehicles.add_custodian") and request.user.court_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class CustodianForm(base):
            def clean_credit_code(self):
                """The service's check, shown beside the field instead of as a 500."""
                from enforcement.validators import normalise_credit_code

                code = (self.cleaned_data.get("credit_code") or "").strip()
                return normalise_credit_code(code) if code else ""

        return CustodianForm

    def save_model(self, request, obj, form, change) -> None:
        data = {k: form.cleaned_data.get(k, "") for k in ("name", "credit_code", "contact",
                                                          "phone", "address")}  # fmt: skip
        saved = services.save_custodian(
            user=request.user, court=obj.court if change else request.user.court,
            custodian=obj if change else None, active=form.cleaned_data.get("active", True), **data,
        )  # fmt: skip
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        services.set_custodian_members(
            user=request.user, custodian=form.instance, members=list(form.cleaned_data["members"])
        )


class AgreementRateInline(ScopedInline):
    model = AgreementRate
    fields = ["vehicle_class", "daily_fee"]
    readonly_fields = fields
    show_change_link = False


@admin.register(CustodyAgreement)
class CustodyAgreementAdmin(EnforcementAdmin):
    """Rates inline, read-only here: agreements are kept through ``services.save_agreement``
    (all four rates, no overlap) by the API."""

    list_display = ["number", "custodian", "valid_from", "valid_until", "towing_fee"]
    search_fields = ["number", "custodian__name"]
    inlines = [AgreementRateInline]
    view_only = True


@admin.register(Lot)
class LotAdmin(EnforcementAdmin):
    list_display = ["name", "custodian", "address", "capacity", "active"]
    list_filter = ["active"]
    editable_fields = ("name", "address", "capacity", "active")

    def save_model(self, request, obj, form, change) -> None:
        services.save_lot(
            user=request.user, custodian=obj.custodian, name=obj.name, address=obj.address,
            capacity=obj.capacity, active=obj.active, lot=Lot.objects.get(pk=obj.pk),
        )  # fmt: skip


class StockCheckLineInline(ScopedInline):
    model = StockCheckLine
    fields = ["impound", "present", "note"]
    readonly_fields = fields
    show_change_link = False


@admin.register(StockCheck)
class StockCheckAdmin(EnforcementAdmin):
    list_display = ["lot", "checked_at", "expected", "counted", "checked_by"]
    date_hierarchy = "checked_at"
    inlines = [StockCheckLineInline]
    view_only = True


class CustodyInvoiceLineInline(ScopedInline):
    model = CustodyInvoiceLine
    fields = ["impound", "days", "towing", "custody", "total"]
    readonly_fields = fields
    show_change_link = False


@admin.register(CustodyInvoice)
class CustodyInvoiceAdmin(EnforcementAdmin):
    list_display = ["custodian", "month", "total", "issued_by", "issued_at"]
    inlines = [CustodyInvoiceLineInline]
    view_only = True


@admin.register(FeePosting)
class FeePostingAdmin(EnforcementAdmin):
    list_display = ["impound", "case", "covers_from", "through", "amount", "posted_by"]
    view_only = True
