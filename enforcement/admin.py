"""Admin for enforcement records: court-scoped, history visible, rule-bound writes via services.

Admin is a window on the records, not a back door round the rules (ENGINEERING "Layout"):

* every list is narrowed by the visibility helper (``CourtScopedAdmin.get_queryset`` →
  ``restrict``), and so are inlines, foreign-key choices and the history pages;
* nothing is added or deleted here — cases are filed, numbered and closed, parties registered,
  measures decided… through ``enforcement.services`` from the UI and the API;
* numbers, dates, status, closure, approvals and votes are read-only; only descriptive fields
  (names, texts) can be corrected, and each correction is recorded by django-simple-history;
* decisions that are allowed from admin are actions that call the services, and a rule the
  service refuses is shown as a message, never a server error;
* reverting to an old version from the history page is switched off: it would write raw
  field values (a concluded case back to "in progress") past every rule.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courtexec.admin import CourtScopedAdmin
from courtexec.models import Court, User
from courtexec.visibility import restrict, visible_court_ids
from enforcement import selectors, services
from enforcement.models import (
    AssetDisposal,
    Campaign,
    CaseNumberCounter,
    CaseParty,
    CoerciveMeasure,
    Consultation,
    ConsultationReminder,
    DeadlineExtension,
    DeadlineWarning,
    EnforcementCase,
    FieldAction,
    FieldPhoto,
    JointMeeting,
    MeetingDecision,
    Objection,
    Party,
    Ticket,
    TravelRequest,
)

RelatedOnly = admin.RelatedOnlyFieldListFilter

CASE_ADD_HELP = _(
    "Cases are filed from the case pages or the API, which number them (案号) and set their "
    "time limit; they cannot be added in administration."
)


def _court_scoped(model: type[Model]) -> bool:
    """Whether ``restrict`` knows how to narrow this model to the user's courts."""
    if model in (Court, User):
        return True
    if hasattr(model, "court_lookup") or hasattr(model, "restrict_to_courts"):
        return True
    return any(field.name == "court" for field in model._meta.fields)


def _labels(values, choices) -> str:
    names = dict(choices)
    return "、".join(str(names.get(value, value)) for value in values or ())


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.display_name or user.username


def _run_service(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    call: Callable[[Model], object],
    done: Callable[[int], str],
) -> None:
    """Call a service once per selected record; a refusal becomes a message, not an error."""
    succeeded = 0
    for obj in queryset:
        try:
            call(obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied as exc:
            reason = str(exc) or gettext("You may not do this.")
            modeladmin.message_user(request, f"{obj}: {reason}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done(succeeded), messages.SUCCESS)


# --- Base classes ------------------------------------------------------------------------------


class CourtScopedFormfieldsMixin:
    """Foreign-key and many-to-many choices narrowed to the courts the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        if "queryset" not in kwargs and _court_scoped(model):
            kwargs["queryset"] = restrict(model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        model = db_field.related_model
        if "queryset" not in kwargs and _court_scoped(model):
            kwargs["queryset"] = restrict(model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EnforcementAdmin(CourtScopedFormfieldsMixin, CourtScopedAdmin):
    """Court-scoped, history visible; no add, no delete, no revert; few editable fields.

    ``editable_fields`` lists what may be corrected here; every other field of the model is
    read-only. ``view_only`` admins cannot change anything (their actions call services).
    """

    editable_fields: tuple[str, ...] = ()
    extra_readonly: tuple[str, ...] = ()
    hidden_fields: tuple[str, ...] = ()
    view_only = False
    list_per_page = 50

    # Every write of this app goes through enforcement.services (UI and API).
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if self.view_only:
            return False
        return super().has_change_permission(request, obj)

    def _model_field_names(self) -> list[str]:
        opts = self.model._meta
        return [
            field.name
            for field in [*opts.fields, *opts.many_to_many]
            if not field.primary_key and field.name not in self.hidden_fields
        ]

    def get_fields(self, request, obj=None):
        if self.fields or self.fieldsets:
            return super().get_fields(request, obj)
        return [*self._model_field_names(), *self.extra_readonly]

    def get_readonly_fields(self, request, obj=None):
        locked = [name for name in self._model_field_names() if name not in self.editable_fields]
        return [*locked, *self.extra_readonly, *self.readonly_fields]


class UntrackedAdmin(EnforcementAdmin):
    """For the few models without simple-history: Django's own admin log as history."""

    object_history_template = None

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404


class ScopedInline(admin.TabularInline):
    """A read-only list of related records, narrowed to the user's courts like everything."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- List filters ------------------------------------------------------------------------------


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("due_soon", _("Due soon")),
            ("consultation", _("Needs a consultation")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return selectors.overdue_cases(queryset, today)
        if self.value() == "due_soon":
            return selectors.due_soon_cases(queryset, today)
        if self.value() == "consultation":
            return selectors.cases_needing_consultation(queryset, today)
        return queryset


class IdentityFilter(admin.SimpleListFilter):
    title = _("identity number")
    parameter_name = "identity"

    def lookups(self, request, model_admin):
        return [("yes", _("Has an identity number")), ("no", _("No identity number (flagged)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(id_number__isnull=False)
        if self.value() == "no":
            return queryset.filter(id_number__isnull=True)
        return queryset


class ObjectionOverdueFilter(admin.SimpleListFilter):
    title = _("review deadline")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return selectors.overdue_objections(queryset, timezone.localdate())
        return queryset


class ApprovalFilter(admin.SimpleListFilter):
    title = _("president's approval")
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("approved", _("Approved")), ("waiting", _("Awaiting approval"))]

    def queryset(self, request, queryset):
        if self.value() == "approved":
            return queryset.filter(approved_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(approved_at__isnull=True).exclude(
                kind=CoerciveMeasure.Kind.POLICE_TRANSFER
            )
        return queryset


class ReminderStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("resolved", _("Resolved by a consultation"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_by__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_by__isnull=False)
        return queryset


# --- Actions -----------------------------------------------------------------------------------


class RemindConsultationsMixin:
    """The daily consultation job (services.remind_consultations), run now from admin."""

    def has_remind_permission(self, request) -> bool:
        return request.user.has_perm("enforcement.add_consultationreminder")

    @admin.action(
        description=_("Remind consultations now (every open case due one)"),
        permissions=["remind"],
    )
    def remind_consultations_now(self, request, queryset) -> None:
        created = services.remind_consultations(today=timezone.localdate())
        visible = restrict(
            ConsultationReminder.objects.filter(resolved_by__isnull=True), request.user
        ).count()
        self.message_user(
            request,
            ngettext(
                "%(created)d reminder opened; %(open)d open reminder(s) in your courts.",
                "%(created)d reminders opened; %(open)d open reminder(s) in your courts.",
                created,
            )
            % {"created": created, "open": visible},
            messages.SUCCESS,
        )


# --- Parties -----------------------------------------------------------------------------------


class CasePartyInline(ScopedInline):
    model = CaseParty
    fields = ["party", "party_id_number", "role", "payee_bank", "payee_account_name",
              "payee_account_number"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "case")

    @admin.display(description=_("identity number"))
    def party_id_number(self, obj: CaseParty) -> str:
        return obj.party.id_number or "—"


class PartyCaseInline(ScopedInline):
    """The cases a party appears in — only those of the user's own courts."""

    model = CaseParty
    fk_name = "party"
    fields = ["case", "role", "case_status"]
    readonly_fields = fields
    verbose_name_plural = _("cases")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")

    @admin.display(description=_("status"))
    def case_status(self, obj: CaseParty) -> str:
        return obj.case.get_status_display()


@admin.register(Party)
class PartyAdmin(EnforcementAdmin):
    list_display = ["name", "kind", "id_number_or_flag", "sex", "birth_date", "phone",
                    "registered_by", "case_count"]  # fmt: skip
    list_filter = ["kind", "sex", IdentityFilter, ("registered_by", RelatedOnly)]
    search_fields = ["name", "id_number", "phone", "legal_representative"]
    list_select_related = ["registered_by"]
    editable_fields = ("name", "phone", "address", "legal_representative")
    inlines = [PartyCaseInline]

    def get_queryset(self, request):
        # Count only the cases of the user's courts: other courts' cases stay invisible.
        ids = visible_court_ids(request.user)
        links = Q() if ids is None else Q(case_links__case__court_id__in=ids)
        return super().get_queryset(request).annotate(case_total=Count("case_links", filter=links))

    @admin.display(description=_("identity number"), ordering="id_number")
    def id_number_or_flag(self, obj: Party) -> str:
        return obj.id_number or gettext("⚠ none")

    @admin.display(description=_("case links"), ordering="case_total")
    def case_count(self, obj: Party) -> int:
        return obj.case_total

    def has_change_permission(self, request, obj=None) -> bool:
        """A party shared by several courts is corrected only by the court that registered it."""
        foreign = obj is not None and obj.registered_by_id != request.user.court_id
        if foreign and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


@admin.register(CaseParty)
class CasePartyAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "party", "party_id_number", "role", "payee_bank",
                    "payee_account_number"]  # fmt: skip
    list_filter = ["role", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "party__name", "party__id_number"]
    list_select_related = ["case", "party"]
    extra_readonly = ("party_id_number",)

    @admin.display(description=_("identity number"), ordering="party__id_number")
    def party_id_number(self, obj: CaseParty) -> str:
        return obj.party.id_number or "—"


# --- Cases -------------------------------------------------------------------------------------


class CaseForm(forms.ModelForm):
    """Assistants must work for the case's court (the service's rule at filing)."""

    class Meta:
        model = EnforcementCase
        fields = ["category", "issuing_body", "instrument_number", "instrument_effective_on",
                  "assistants"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assistants" in self.fields and self.instance.pk:
            field = self.fields["assistants"]
            field.queryset = field.queryset.filter(court_id=self.instance.court_id)


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(RemindConsultationsMixin, EnforcementAdmin):
    form = CaseForm
    list_display = ["number", "court", "type_code", "category", "status", "filed_on", "due_on",
                    "deadline", "judge", "amount_to_enforce", "amount_performed",
                    "closure_mode"]  # fmt: skip
    list_filter = ["status", DeadlineFilter, "type_code", "category", "closure_mode",
                   "instrument_kind", ("court", RelatedOnly), ("judge", RelatedOnly),
                   "is_legacy_number"]  # fmt: skip
    search_fields = ["number", "instrument_number", "parties__party__name",
                     "parties__party__id_number"]  # fmt: skip
    date_hierarchy = "filed_on"
    list_select_related = ["court", "judge"]
    autocomplete_fields = ["assistants"]
    inlines = [CasePartyInline]
    actions = ["remind_consultations_now"]
    editable_fields = ("category", "issuing_body", "instrument_number",
                       "instrument_effective_on", "assistants")  # fmt: skip
    extra_readonly = ("flag_labels", "outstanding_amount", "deadline")
    fieldsets = [
        (None, {"fields": ["number", "court", "type_code", "year", "sequence",
                           "is_legacy_number", "category", "status", "flag_labels"]}),
        (_("Source instrument"), {"fields": ["issuing_body", "instrument_number",
                                             "instrument_effective_on", "instrument_kind"]}),
        (_("Amounts"), {"fields": ["amount_to_enforce", "amount_performed",
                                   "outstanding_amount"]}),
        (_("Time limit"), {"fields": ["filed_on", "due_on", "deadline"]}),
        (_("Officers"), {"fields": ["judge", "assistants"]}),
        (_("Procedural steps (终本 conditions)"), {"fields": [
            "execution_notice_sent_on", "asset_report_ordered_on",
            "property_investigation_done_on", "consumption_restriction_on", "blacklisted_on",
            "no_blacklist_grounds", "debtor_search_done_on"]}),
        (_("Closure"), {"fields": ["closure_mode", "closure_reason", "closed_on",
                                   "resumed_from"]}),
        (None, {"fields": ["created_at"]}),
    ]  # fmt: skip
    hidden_fields = ("flags",)

    def add_view(self, request, form_url="", extra_context=None):
        self.message_user(request, CASE_ADD_HELP, messages.INFO)
        return redirect(reverse("admin:enforcement_enforcementcase_changelist"))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"subtitle": CASE_ADD_HELP, **(extra_context or {})}
        )

    @admin.display(description=_("deadline"))
    def deadline(self, obj: EnforcementCase) -> str:
        badge = selectors.deadline_badge(obj, timezone.localdate())
        return {"overdue": gettext("Overdue"), "due_soon": gettext("Due soon")}.get(badge, "")

    @admin.display(description=_("joint-meeting flags"))
    def flag_labels(self, obj: EnforcementCase) -> str:
        return _labels(obj.flags, EnforcementCase.Flag.choices) or "—"

    @admin.display(description=_("outstanding (yuan)"))
    def outstanding_amount(self, obj: EnforcementCase) -> str:
        return f"{obj.outstanding:,.2f}"


@admin.register(CaseNumberCounter)
class CaseNumberCounterAdmin(UntrackedAdmin):
    """The numbering counters, to look at only: the filing service moves them under a lock."""

    view_only = True
    list_display = ["court", "type_code", "year", "last_sequence"]
    list_filter = ["type_code", "year", ("court", RelatedOnly)]
    search_fields = ["court__code", "court__name"]
    list_select_related = ["court"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "months", "status", "requested_by", "requested_at", "decided_by",
                    "decided_at"]  # fmt: skip
    list_filter = ["status", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "reason"]
    date_hierarchy = "requested_at"
    list_select_related = ["case", "requested_by", "decided_by"]
    actions = ["approve", "reject"]

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("enforcement.change_deadlineextension")

    def _decide(self, request, queryset, approve: bool) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("case"),
            lambda ext: services.decide_extension(
                extension=ext,
                user=request.user,
                approve=approve,
                note=gettext("Decided in administration."),
            ),
            lambda n: ngettext("%d extension decided.", "%d extensions decided.", n) % n,
        )

    @admin.action(description=_("Approve the selected extensions (court president)"),
                  permissions=["decide"])  # fmt: skip
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected extensions (court president)"),
                  permissions=["decide"])  # fmt: skip
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)


# --- Consultations and joint meetings ------------------------------------------------------------


@admin.register(Consultation)
class ConsultationAdmin(EnforcementAdmin):
    list_display = ["case", "held_on", "recorded_by", "participant_names", "follow_up_due"]
    list_filter = [("case__court", RelatedOnly), ("recorded_by", RelatedOnly)]
    search_fields = ["case__number", "findings", "next_steps"]
    date_hierarchy = "held_on"
    list_select_related = ["case", "recorded_by"]
    editable_fields = ("findings", "next_steps")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participants")

    @admin.display(description=_("participants"))
    def participant_names(self, obj: Consultation) -> str:
        return "、".join(_person(user) for user in obj.participants.all())


@admin.register(ConsultationReminder)
class ConsultationReminderAdmin(RemindConsultationsMixin, EnforcementAdmin):
    view_only = True
    list_display = ["case", "due_since", "resolved_by", "created_at"]
    list_filter = [ReminderStateFilter, ("case__court", RelatedOnly)]
    search_fields = ["case__number"]
    date_hierarchy = "due_since"
    list_select_related = ["case", "resolved_by", "resolved_by__case"]
    actions = ["remind_consultations_now"]


@admin.register(DeadlineWarning)
class DeadlineWarningAdmin(UntrackedAdmin):
    """Who was told of which time limit when: written only by the daily warning job."""

    view_only = True
    list_display = ["case", "stage", "due_on", "warned_at"]
    list_filter = ["stage", ("case__court", RelatedOnly)]
    search_fields = ["case__number"]
    date_hierarchy = "warned_at"
    list_select_related = ["case"]


class MeetingDecisionInline(ScopedInline):
    model = MeetingDecision
    fields = ["case", "matter", "decision", "votes_for", "votes_against", "abstentions",
              "approved_amount", "discussion"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")


@admin.register(JointMeeting)
class JointMeetingAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["held_on", "court", "chaired_by", "attendee_names", "items"]
    list_filter = [("court", RelatedOnly)]
    search_fields = ["decisions__case__number", "decisions__matter"]
    date_hierarchy = "held_on"
    list_select_related = ["court", "chaired_by"]
    inlines = [MeetingDecisionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(item_total=Count("decisions", distinct=True))
            .prefetch_related("attendees")
        )

    @admin.display(description=_("attendees"))
    def attendee_names(self, obj: JointMeeting) -> str:
        return "、".join(_person(user) for user in obj.attendees.all())

    @admin.display(description=_("agenda items"), ordering="item_total")
    def items(self, obj: JointMeeting) -> int:
        return obj.item_total


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "meeting", "matter", "decision", "votes_for", "votes_against",
                    "abstentions", "approved_amount"]  # fmt: skip
    list_filter = ["decision", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "matter"]
    list_select_related = ["case", "meeting", "meeting__court"]


@admin.register(AssetDisposal)
class AssetDisposalAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "description", "amount", "authorised_by", "ordered_by", "ordered_at"]
    list_filter = [("case__court", RelatedOnly)]
    search_fields = ["case__number", "description"]
    date_hierarchy = "ordered_at"
    list_select_related = ["case", "ordered_by", "authorised_by", "authorised_by__case"]


# --- Objections and coercive measures ------------------------------------------------------------


@admin.register(Objection)
class ObjectionAdmin(EnforcementAdmin):
    list_display = ["case", "objector_name", "filed_on", "review_due_on", "ruling", "review",
                    "ruled_on"]  # fmt: skip
    list_filter = ["ruling", ObjectionOverdueFilter, ("case__court", RelatedOnly)]
    search_fields = ["case__number", "objector_name", "objector_party__name",
                     "objector_party__id_number"]  # fmt: skip
    date_hierarchy = "filed_on"
    list_select_related = ["case"]
    editable_fields = ("objector_name", "contested_act")
    extra_readonly = ("review",)

    @admin.display(description=_("review deadline"))
    def review(self, obj: Objection) -> str:
        if obj.ruling == Objection.Ruling.PENDING and obj.review_due_on < timezone.localdate():
            return gettext("Overdue")
        return ""


@admin.register(CoerciveMeasure)
class CoerciveMeasureAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["case", "kind", "subject", "detention_days", "fine_amount", "decided_on",
                    "approved_by", "approved_at", "family_notified_at", "notice"]  # fmt: skip
    list_filter = ["kind", ApprovalFilter, ("case__court", RelatedOnly)]
    search_fields = ["case__number", "subject__name", "subject__id_number"]
    date_hierarchy = "decided_on"
    list_select_related = ["case", "subject", "approved_by"]
    actions = ["approve"]
    extra_readonly = ("notice",)

    @admin.display(description=_("family notice"))
    def notice(self, obj: CoerciveMeasure) -> str:
        if services.family_notice_late(obj, timezone.now()):
            return gettext("Late (over 24 h)")
        return ""

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("enforcement.change_coercivemeasure")

    @admin.action(description=_("Approve the selected measures (court president)"),
                  permissions=["approve"])  # fmt: skip
    def approve(self, request, queryset) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("case"),
            lambda measure: services.approve_measure(measure=measure, user=request.user),
            lambda n: ngettext("%d measure approved.", "%d measures approved.", n) % n,
        )


# --- Field work, travel and tickets ------------------------------------------------------------


class FieldPhotoInline(ScopedInline):
    model = FieldPhoto
    fields = ["thumbnail", "image", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: FieldPhoto) -> str:
        return _thumbnail(obj)


def _thumbnail(photo: FieldPhoto) -> str:
    if not photo.image:
        return ""
    return format_html(
        '<a href="{0}"><img src="{0}" alt="" style="max-height:80px;max-width:120px"></a>',
        photo.get_absolute_url(),
    )


@admin.register(FieldAction)
class FieldActionAdmin(EnforcementAdmin):
    list_display = ["case", "kind", "occurred_at", "place", "officer", "photo_count"]
    list_filter = ["kind", ("officer", RelatedOnly), ("case__court", RelatedOnly)]
    search_fields = ["case__number", "place", "participants", "notes"]
    date_hierarchy = "occurred_at"
    list_select_related = ["case", "officer"]
    editable_fields = ("place", "participants", "notes")
    inlines = [FieldPhotoInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_total=Count("photos"))

    @admin.display(description=_("photos"), ordering="photo_total")
    def photo_count(self, obj: FieldAction) -> int:
        return obj.photo_total


@admin.register(FieldPhoto)
class FieldPhotoAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["__str__", "action", "thumbnail", "uploaded_at"]
    list_filter = [("action__case__court", RelatedOnly)]
    search_fields = ["action__case__number", "image"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["action", "action__case"]
    extra_readonly = ("thumbnail",)

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: FieldPhoto) -> str:
        return _thumbnail(obj)


class TicketInline(ScopedInline):
    model = Ticket
    fields = ["traveller", "mode", "reference", "travel_on", "price", "bought_by", "bought_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("traveller", "bought_by")


@admin.register(TravelRequest)
class TravelRequestAdmin(EnforcementAdmin):
    list_display = ["case", "destination", "depart_on", "return_on", "traveller_names", "status",
                    "requested_by", "decided_by"]  # fmt: skip
    list_filter = ["status", ("case__court", RelatedOnly)]
    search_fields = ["case__number", "destination", "purpose"]
    date_hierarchy = "depart_on"
    list_select_related = ["case", "requested_by", "decided_by"]
    editable_fields = ("purpose",)
    inlines = [TicketInline]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("travellers")

    @admin.display(description=_("travellers"))
    def traveller_names(self, obj: TravelRequest) -> str:
        return "、".join(_person(user) for user in obj.travellers.all())

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("enforcement.change_travelrequest")

    def _decide(self, request, queryset, approve: bool) -> None:
        _run_service(
            self,
            request,
            queryset.select_related("case"),
            lambda travel: services.decide_travel(
                travel=travel, user=request.user, approve=approve
            ),
            lambda n: ngettext("%d trip decided.", "%d trips decided.", n) % n,
        )

    @admin.action(description=_("Approve the selected trips (bureau chief)"),
                  permissions=["decide"])  # fmt: skip
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected trips (bureau chief)"),
                  permissions=["decide"])  # fmt: skip
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(Ticket)
class TicketAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["reference", "request", "traveller", "mode", "travel_on", "price",
                    "bought_by", "bought_at"]  # fmt: skip
    list_filter = ["mode", ("bought_by", RelatedOnly), ("request__case__court", RelatedOnly)]
    search_fields = ["reference", "request__case__number", "request__destination",
                     "traveller__display_name"]  # fmt: skip
    date_hierarchy = "travel_on"
    list_select_related = ["request", "request__case", "traveller", "bought_by"]


# --- Campaigns ---------------------------------------------------------------------------------


@admin.register(Campaign)
class CampaignAdmin(EnforcementAdmin):
    list_display = ["name", "court", "starts_on", "ends_on", "category_labels"]
    list_filter = [("court", RelatedOnly)]
    search_fields = ["name", "description"]
    date_hierarchy = "starts_on"
    list_select_related = ["court"]
    editable_fields = ("name", "starts_on", "ends_on", "categories", "description")
    extra_readonly = ("figures",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "categories":  # tick boxes, not comma-separated codes
            return forms.TypedMultipleChoiceField(
                label=capfirst(db_field.verbose_name),
                choices=EnforcementCase.Category.choices,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("target categories"))
    def category_labels(self, obj: Campaign) -> str:
        return _labels(obj.categories, EnforcementCase.Category.choices)

    @admin.display(description=_("figures (computed from the records)"))
    def figures(self, obj: Campaign) -> str:
        if obj.pk is None:
            return ""
        numbers = selectors.campaign_figures(obj)
        rows = [
            (gettext("Cases concluded"), numbers.cases_concluded),
            (gettext("Detentions"), numbers.detentions),
            (gettext("Blacklist entries"), numbers.blacklist_entries),
            (gettext("Transfers to police"), numbers.police_transfers),
        ]
        return format_html_join(mark_safe("<br>"), "{}: {}", rows)
