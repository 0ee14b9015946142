"""Admin of the standby section: a window on the roster and the callouts; changes go through
the services.

Teams are edited here through ``services.save_team`` (roles and court checked); the rotation is
shown with its ordered teams inline and can be extended now; shifts are read-only (past ones are
records; future ones change by overrides and swaps); swaps are decided by actions calling the
services; calendar feeds can be revoked; callouts are read-only with their timeline inline.
Every list is narrowed to the courts the user sees.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courtexec.roles import Role
from enforcement.admin import (
    EnforcementAdmin,
    RelatedOnly,
    ScopedInline,
    UntrackedAdmin,
    _run_service,
)
from standby import services
from standby.models import (
    CalendarFeed,
    Callout,
    CalloutEvent,
    GapWarning,
    Override,
    Rotation,
    RotationTeam,
    Shift,
    ShiftSwap,
    StandbyTeam,
)

# --- roster -----------------------------------------------------------------------------------


@admin.register(StandbyTeam)
class StandbyTeamAdmin(EnforcementAdmin):
    list_display = ["name", "court", "leader", "judge", "police", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    editable_fields = ("name", "leader", "judge", "police", "active")
    autocomplete_fields: list = []

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("standby.add_standbyteam") and request.user.court_id

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [f for f in fields if f != "court"] if obj is None else fields

    def get_fields(self, request, obj=None):
        return ["name", "leader", "judge", "police", "active"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        court = obj.court if obj is not None else request.user.court

        class TeamForm(base):
            def clean(self):
                cleaned = super().clean()
                people = {place: cleaned.get(place) for place in services.PLACES}
                if court is not None and all(people.values()):
                    try:
                        services.check_people(court, people)
                    except ValidationError as error:
                        for field, errors in error.error_dict.items():
                            self.add_error(field, errors)
                return cleaned

        return TeamForm

    def save_model(self, request, obj, form, change) -> None:
        court = obj.court if change else request.user.court
        data = {k: form.cleaned_data[k] for k in ("name", "leader", "judge", "police", "active")}
        saved = services.save_team(
            user=request.user, court=court, team=obj if change else None, **data
        )
        obj.pk = saved.pk


class RotationTeamInline(ScopedInline):
    model = RotationTeam
    fields = ["position", "team"]
    readonly_fields = ["position", "team"]
    ordering = ["position"]


@admin.action(description=_("Generate the roster ahead now"))
def extend_now(modeladmin, request, queryset):
    total = 0
    for rotation in queryset:
        total += services.extend_roster(court=rotation.court, user=request.user)
    modeladmin.message_user(
        request, ngettext("%(n)d shift generated.", "%(n)d shifts generated.", total) % {"n": total}
    )


@admin.register(Rotation)
class RotationAdmin(EnforcementAdmin):
    list_display = ["court", "shift_hours", "starts_on", "start_time", "updated_at"]
    inlines = [RotationTeamInline]
    actions = [extend_now]
    view_only = True


class PastReadOnly(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("past", _("Started")), ("future", _("Not started"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "past":
            return queryset.filter(starts_at__lte=now)
        if self.value() == "future":
            return queryset.filter(starts_at__gt=now)
        return queryset


@admin.register(Shift)
class ShiftAdmin(EnforcementAdmin):
    """Read-only: past shifts are records; future ones change by overrides and swaps."""

    list_display = ["starts_at", "ends_at", "court", "team", "leader", "judge", "police", "origin"]
    list_filter = [PastReadOnly, "origin"]
    date_hierarchy = "starts_at"
    view_only = True


@admin.register(Override)
class OverrideAdmin(EnforcementAdmin):
    list_display = ["court", "starts_at", "ends_at", "leader", "judge", "police", "reason"]
    view_only = True


def _swap_action(name: str, label):
    def act(modeladmin, request, queryset):
        call = getattr(services, f"{name}_swap")

        def one(swap):
            try:
                call(user=request.user, swap=swap)
            except services.Conflict as error:
                raise ValidationError(error.message) from error

        _run_service(
            modeladmin, request, queryset, one,
            lambda n: ngettext("%(n)d swap done.", "%(n)d swaps done.", n) % {"n": n},
        )  # fmt: skip

    act.__name__ = f"{name}_swaps"
    return admin.action(description=label)(act)


@admin.register(ShiftSwap)
class ShiftSwapAdmin(EnforcementAdmin):
    list_display = ["requester", "counterpart", "shift", "counterpart_shift", "role", "status"]
    list_filter = ["status"]
    view_only = True
    actions = [
        _swap_action("approve", _("Approve the selected swaps")),
        _swap_action("refuse", _("Refuse the selected swaps")),
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or request.user.has_role(Role.BUREAU_CHIEF)


@admin.action(description=_("Revoke the selected feeds"))
def revoke_feeds(modeladmin, request, queryset):
    count = queryset.filter(revoked_at__isnull=True).count()
    for feed in queryset.filter(revoked_at__isnull=True):
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    modeladmin.message_user(request, gettext("%(n)d revoked.") % {"n": count})


@admin.register(CalendarFeed)
class CalendarFeedAdmin(UntrackedAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["user", "created_at", "revoked_at"]
    actions = [revoke_feeds]
    view_only = True

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser or request.user.has_perm("standby.change_rotation")


@admin.register(GapWarning)
class GapWarningAdmin(UntrackedAdmin):
    list_display = ["court", "starts_at", "ends_at", "warned_at"]
    view_only = True


# --- callouts: read-only, the timeline inline; reported and worked only through services ---


class CalloutEventInline(ScopedInline):
    model = CalloutEvent
    fields = ["at", "kind", "by", "note"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Callout)
class CalloutAdmin(EnforcementAdmin):
    view_only = True
    list_display = ["reference", "caught_at", "person_name", "police_station",
                    "requesting_court_name", "status", "handover_deadline", "escalation_level",
                    "outcome"]  # fmt: skip
    list_filter = ["status", "outcome", ("court", RelatedOnly)]
    search_fields = ["reference", "person_name", "person_id_number", "wanted_reference"]
    date_hierarchy = "caught_at"
    list_select_related = ["court"]
    inlines = [CalloutEventInline]
