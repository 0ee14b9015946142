"""Court-scoped admin pages of the vehicles app (each part of the app adds its own below)."""

from __future__ import annotations

# --- vehicles and surveillance ---
# --- impound lifecycle ---
# --- custodians, fees and stock checks ---
# (own imports, aliased, so the other sections' names never clash)
from django.contrib import admin as _admin

from enforcement.admin import EnforcementAdmin as _EnforcementAdmin
from enforcement.admin import ScopedInline as _ScopedInline
from vehicles import services as _services
from vehicles.models import (
    AgreementRate,
    Custodian,
    CustodyAgreement,
    CustodyInvoice,
    CustodyInvoiceLine,
    FeePosting,
    Lot,
    StockCheck,
    StockCheckLine,
)


@_admin.register(Custodian)
class CustodianAdmin(_EnforcementAdmin):
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
        saved = _services.save_custodian(
            user=request.user, court=obj.court if change else request.user.court,
            custodian=obj if change else None, active=form.cleaned_data.get("active", True), **data,
        )  # fmt: skip
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        _services.set_custodian_members(
            user=request.user, custodian=form.instance, members=list(form.cleaned_data["members"])
        )


class AgreementRateInline(_ScopedInline):
    model = AgreementRate
    fields = ["vehicle_class", "daily_fee"]
    readonly_fields = fields
    show_change_link = False


@_admin.register(CustodyAgreement)
class CustodyAgreementAdmin(_EnforcementAdmin):
    """Rates inline, read-only here: agreements are kept through ``services.save_agreement``
    (all four rates, no overlap) by the API."""

    list_display = ["number", "custodian", "valid_from", "valid_until", "towing_fee"]
    search_fields = ["number", "custodian__name"]
    inlines = [AgreementRateInline]
    view_only = True


@_admin.register(Lot)
class LotAdmin(_EnforcementAdmin):
    list_display = ["name", "custodian", "address", "capacity", "active"]
    list_filter = ["active"]
    editable_fields = ("name", "address", "capacity", "active")

    def save_model(self, request, obj, form, change) -> None:
        _services.save_lot(
            user=request.user, custodian=obj.custodian, name=obj.name, address=obj.address,
            capacity=obj.capacity, active=obj.active, lot=Lot.objects.get(pk=obj.pk),
        )  # fmt: skip


class StockCheckLineInline(_ScopedInline):
    model = StockCheckLine
    fields = ["impound", "present", "note"]
    readonly_fields = fields
    show_change_link = False


@_admin.register(StockCheck)
class StockCheckAdmin(_EnforcementAdmin):
    list_display = ["lot", "checked_at", "expected", "counted", "checked_by"]
    date_hierarchy = "checked_at"
    inlines = [StockCheckLineInline]
    view_only = True


class CustodyInvoiceLineInline(_ScopedInline):
    model = CustodyInvoiceLine
    fields = ["impound", "days", "towing", "custody", "total"]
    readonly_fields = fields
    show_change_link = False


@_admin.register(CustodyInvoice)
class CustodyInvoiceAdmin(_EnforcementAdmin):
    list_display = ["custodian", "month", "total", "issued_by", "issued_at"]
    inlines = [CustodyInvoiceLineInline]
    view_only = True


@_admin.register(FeePosting)
class FeePostingAdmin(_EnforcementAdmin):
    list_display = ["impound", "case", "covers_from", "through", "amount", "posted_by"]
    view_only = True
