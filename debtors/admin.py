"""Admin for property investigation and control (财产查控): a window, never a way round it.

* Searches, findings, deductions, renewals and reminders are read-only: they are what the
  investigation group and the banks did, written only by ``debtors.services``.
* Investigation requests and freezes are read-only too; a freeze is renewed or released with
  an action that calls the service (a refusal is a message, not an error).
* The dishonest-debtor list, deletion tasks, corrections and consumption restrictions are
  read-only: proposing, approving, publishing, deleting and lifting are decisions made through
  ``debtors.services`` with their legal checks.
* The duty rotation is edited through a form whose save is ``services.set_rotation``: its rules
  (the court's investigation group, each member once, turns of at least a day) apply here too.
* Every list is narrowed to the courts the user may see, as in the rest of CourtExec.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from casefunds.models import yuan
from courtexec.admin import CourtScopedAdmin
from courtexec.models import Court, User
from courtexec.visibility import restrict
from debtors import services
from debtors.models import (
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
    PublicListing,
    RenewalReminder,
    ResearchRun,
    RestrictionExemption,
    RestrictionOrder,
    RotationMember,
    Search,
    Tip,
)
from enforcement.admin import (
    CourtScopedFormfieldsMixin,
    EnforcementAdmin,
    RelatedOnly,
    ScopedInline,
    UntrackedAdmin,
    _run_service,
)


def _money(fen: int | None) -> str:
    return "" if fen is None else f"{yuan(fen):,}"


# --- Rotation ---------------------------------------------------------------------------------


class RotationForm(forms.ModelForm):
    """Saved by ``services.set_rotation`` once the form is valid (inside the admin's
    transaction), so a rule the service refuses is shown on the form like any other error."""

    members = forms.CharField(
        label=_("members"),
        help_text=_(
            "Usernames of the investigation group, in the order they take turns, "
            "separated by commas."
        ),
    )

    request = None  # set by the admin's get_form

    class Meta:
        model = InvestigatorRotation
        fields = ["court", "period_days", "start_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rotation: InvestigatorRotation | None = None
        if self.instance.pk:
            names = self.instance.members.order_by("position").values_list(
                "user__username", flat=True
            )
            self.initial["members"] = ", ".join(names)

    def clean_members(self) -> list[User]:
        names = [n.strip() for n in self.cleaned_data["members"].replace("，", ",").split(",")]
        names = [n for n in names if n]
        if not names:
            raise ValidationError(_("Name at least one member."))
        visible = restrict(User.objects.filter(is_active=True), self.request.user)
        found = {u.username: u for u in visible.filter(username__in=names)}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ValidationError(_("Unknown users: %(names)s.") % {"names": ", ".join(unknown)})
        return [found[n] for n in names]

    def _post_clean(self) -> None:
        super()._post_clean()  # the model's own checks, then the service
        court = self.instance.court if self.instance.pk else self.cleaned_data.get("court")
        if self.errors or court is None:
            return
        try:
            self.rotation = services.set_rotation(
                court=court,
                members=self.cleaned_data["members"],
                period_days=self.cleaned_data["period_days"],
                start_date=self.cleaned_data["start_date"],
                user=self.request.user,
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or gettext("You may not do this."))


class RotationMemberInline(ScopedInline):
    model = RotationMember
    fields = ["position", "user"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(InvestigatorRotation)
class InvestigatorRotationAdmin(CourtScopedFormfieldsMixin, CourtScopedAdmin):
    form = RotationForm
    list_display = ["court", "period_days", "start_date", "member_list", "on_duty_now"]
    list_select_related = ["court"]
    inlines = [RotationMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members__user")

    def get_fields(self, request, obj=None):
        return ["court", "period_days", "start_date", "members"]

    def get_readonly_fields(self, request, obj=None):
        return ["court"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "court":
            kwargs["queryset"] = restrict(Court.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # requests assigned by it keep pointing at its members

    def save_model(self, request, obj, form, change) -> None:
        obj.pk = form.rotation.pk  # written by the service in the form's clean
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        pass  # the members were set by the service

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # inline is read-only

    @admin.display(description=_("members"))
    def member_list(self, obj: InvestigatorRotation) -> str:
        members = sorted(obj.members.all(), key=lambda m: m.position)
        return ", ".join(m.user.display_name or m.user.username for m in members)

    @admin.display(description=_("on duty now"))
    def on_duty_now(self, obj: InvestigatorRotation) -> str:
        user = obj.on_duty()  # one rotation per court: a query a row is fine
        return "—" if user is None else user.display_name or user.username


@admin.register(RotationMember)
class RotationMemberAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["rotation", "position", "user"]
    list_select_related = ["rotation__court", "user"]


# --- Requests, searches, findings -------------------------------------------------------------


@admin.register(InvestigationRequest)
class InvestigationRequestAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "respondent", "asset_classes", "status", "requested_by",
                    "requested_at", "assigned_to"]  # fmt: skip
    list_filter = ["status", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "respondent__party__name"]
    date_hierarchy = "requested_at"
    list_select_related = ["case", "respondent__party", "requested_by", "assigned_to"]


class FindingInline(ScopedInline):
    model = Finding
    fields = ["asset_class", "institution", "identifier", "value", "status"]
    readonly_fields = fields


@admin.register(Search)
class SearchAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["party", "asset_class", "performed_at", "performed_by", "case_number",
                    "forced_reason"]  # fmt: skip
    list_filter = ["asset_class", ("court", RelatedOnly)]
    search_fields = ["party__name", "party__id_number", "case_number"]
    date_hierarchy = "performed_at"
    list_select_related = ["party", "performed_by"]
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["institution", "identifier", "asset_class", "value_yuan", "status", "search"]
    list_filter = ["asset_class", "status"]
    search_fields = ["institution", "identifier", "search__party__name"]
    list_select_related = ["search__party"]
    extra_readonly = ("value_yuan",)

    @admin.display(description=_("balance or value (yuan)"), ordering="value")
    def value_yuan(self, obj: Finding) -> str:
        return _money(obj.value)


# --- Freezes and deductions -------------------------------------------------------------------


class FreezeRenewalInline(ScopedInline):
    model = FreezeRenewal
    fields = ["previous_to", "new_to", "renewed_by", "renewed_at"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Freeze)
class FreezeAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["finding", "kind", "case", "amount_yuan", "from_date", "to_date",
                    "released_on", "ordered_by"]  # fmt: skip
    list_filter = [
        "kind",
        ("released_on", admin.EmptyFieldListFilter),
        ("case__court", RelatedOnly),
    ]
    search_fields = ["case__number", "finding__identifier", "finding__institution",
                     "bank_reference"]  # fmt: skip
    date_hierarchy = "to_date"
    list_select_related = ["finding", "case", "ordered_by"]
    extra_readonly = ("amount_yuan",)
    inlines = [FreezeRenewalInline]
    actions = ["renew", "release"]

    @admin.display(description=_("amount frozen (yuan)"), ordering="amount")
    def amount_yuan(self, obj: Freeze) -> str:
        return _money(obj.amount)

    def has_renew_permission(self, request) -> bool:
        return request.user.has_perm("debtors.add_freezerenewal")

    def has_release_permission(self, request) -> bool:
        return request.user.has_perm("debtors.change_freeze")

    @admin.action(description=_("Renew the selected freezes for one more legal period"),
                  permissions=["renew"])  # fmt: skip
    def renew(self, request, queryset) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("case__court", "finding"),
            lambda freeze: services.renew_freeze(freeze=freeze, user=request.user),
            lambda n: ngettext("%d freeze renewed.", "%d freezes renewed.", n) % n,
        )

    @admin.action(description=_("Release the selected freezes"), permissions=["release"])
    def release(self, request, queryset) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("case__court", "finding"),
            lambda freeze: services.release_freeze(freeze=freeze, user=request.user),
            lambda n: ngettext("%d freeze released.", "%d freezes released.", n) % n,
        )


@admin.register(FreezeRenewal)
class FreezeRenewalAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["freeze", "previous_to", "new_to", "renewed_by", "renewed_at"]
    list_select_related = ["freeze__finding", "freeze__case", "renewed_by"]


@admin.register(RenewalReminder)
class RenewalReminderAdmin(UntrackedAdmin):
    view_only = True
    list_display = ["freeze", "lead_days", "to_date", "raised_at"]
    list_select_related = ["freeze"]


@admin.register(Deduction)
class DeductionAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["bank_reference", "case", "finding", "amount_yuan", "deducted_at",
                    "ordered_by"]  # fmt: skip
    search_fields = ["bank_reference", "case__number", "finding__identifier"]
    date_hierarchy = "deducted_at"
    list_select_related = ["case", "finding", "ordered_by"]
    extra_readonly = ("amount_yuan",)

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_yuan(self, obj: Deduction) -> str:
        return _money(obj.amount)


# --- Dishonest-debtor list and consumption restriction -----------------------------------------


class BlacklistExtensionInline(ScopedInline):
    model = BlacklistExtension
    fields = ["years", "reason", "approved_by", "created_at"]
    readonly_fields = fields


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["respondent", "case", "status", "decision_number", "decided_on",
                    "published_at", "ends_on", "deletion_due_on"]  # fmt: skip
    list_filter = ["status", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "respondent__party__name", "decision_number"]
    date_hierarchy = "decided_on"
    list_select_related = ["case", "respondent__party"]
    inlines = [BlacklistExtensionInline]


@admin.register(BlacklistExtension)
class BlacklistExtensionAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["entry", "years", "approved_by", "created_at"]
    list_select_related = ["entry__respondent__party", "approved_by"]


@admin.register(DeletionTask)
class DeletionTaskAdmin(UntrackedAdmin):
    view_only = True
    list_display = ["entry", "ground", "arisen_on", "due_on"]
    list_filter = ["ground"]
    list_select_related = ["entry__respondent__party"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["entry", "ground", "status", "received_on", "review_due_on",
                    "correction_due_on"]  # fmt: skip
    list_filter = ["status", "ground"]
    list_select_related = ["entry__respondent__party"]


class RestrictionExemptionInline(ScopedInline):
    model = RestrictionExemption
    fields = ["item", "reason", "valid_from", "valid_to", "status", "decided_by"]
    readonly_fields = fields


@admin.register(RestrictionOrder)
class RestrictionOrderAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["respondent", "case", "issued_on", "lifted_on", "lifting_reason"]
    list_filter = ["lifting_reason", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "respondent__party__name"]
    list_select_related = ["case", "respondent__party"]
    inlines = [RestrictionExemptionInline]


@admin.register(RestrictionExemption)
class RestrictionExemptionAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["order", "item", "valid_from", "valid_to", "status", "decided_by"]
    list_filter = ["status", "item"]
    list_select_related = ["order__respondent__party", "decided_by"]


# --- Exposure (360°曝光) ----------------------------------------------------------------------


@admin.register(ExposureRecord)
class ExposureRecordAdmin(EnforcementAdmin):
    """Read-only: exposures are recorded through ``services.record_exposure`` (only for a
    published entry); the action withdraws through ``services.withdraw_exposure``."""

    view_only = True
    list_display = ["entry", "channel", "outlet", "reference", "published_on", "withdrawn_on",
                    "recorded_by"]  # fmt: skip
    list_filter = [
        "channel",
        ("withdrawn_on", admin.EmptyFieldListFilter),
        ("entry__case__court", RelatedOnly),
    ]
    search_fields = ["entry__case__number", "entry__respondent__party__name", "outlet",
                     "reference"]  # fmt: skip
    date_hierarchy = "published_on"
    list_select_related = ["entry__case", "entry__respondent__party", "recorded_by"]
    actions = ["withdraw"]

    def has_withdraw_permission(self, request) -> bool:
        return request.user.has_perm("debtors.change_exposurerecord")

    @admin.action(description=_("Withdraw the selected exposures"), permissions=["withdraw"])
    def withdraw(self, request, queryset) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("entry__case__court"),
            lambda record: services.withdraw_exposure(
                record=record, reason=gettext("Withdrawn in the admin."), user=request.user
            ),
            lambda n: ngettext("%d exposure withdrawn.", "%d exposures withdrawn.", n) % n,
        )


# --- Tips (举报线索) ------------------------------------------------------------------------------


class TipOverdueFilter(admin.SimpleListFilter):
    title = _("check date")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        from debtors import selectors

        if self.value() == "yes":
            return selectors.overdue_tips(queryset)
        if self.value() == "no":
            return queryset.exclude(pk__in=selectors.overdue_tips(queryset).values("pk"))
        return queryset


@admin.register(Tip)
class TipAdmin(EnforcementAdmin):
    """Read-only: tips are routed and checked through ``debtors.services`` (staff pages, API)."""

    view_only = True
    list_display = ["reference", "received_at", "source", "debtor_name", "status", "case",
                    "judge", "check_due_on", "outcome"]  # fmt: skip
    list_filter = ["status", "source", "outcome", TipOverdueFilter, ("court", RelatedOnly)]
    search_fields = ["reference", "debtor_name", "debtor_id_number", "case__number"]
    date_hierarchy = "received_at"
    list_select_related = ["case", "judge"]


# --- Re-searches after 终本 (figures slice) ----------------------------------------------------


@admin.register(ResearchRun)
class ResearchRunAdmin(EnforcementAdmin):
    """Written only by the daily job ``debtors.run_researches``; its searches are the group's."""

    view_only = True
    list_display = ["case", "number", "due_on", "status", "completed_on", "property_found",
                    "new_findings"]  # fmt: skip
    list_filter = ["status", ("case__court", RelatedOnly)]
    search_fields = ["case__number"]
    date_hierarchy = "due_on"
    list_select_related = ["case"]


# --- Public search (公开查询) ------------------------------------------------------------------


@admin.register(PublicListing)
class PublicListingAdmin(UntrackedAdmin):
    """The public search's read model, to look at only: the services keep it (ADR 013)."""

    view_only = True
    list_display = ["entry", "name_key", "id_key", "published_at"]
    search_fields = ["name_key", "id_key"]
    list_select_related = ["entry__respondent__party", "entry__case"]
