"""Admin for courts and staff; every list is narrowed by the same visibility helper as the UI."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from courtexec.models import (
    CalendarDay,
    Court,
    Delivery,
    Notification,
    NotificationPreference,
    User,
)
from courtexec.notification_kinds import secret_kinds
from courtexec.notifications import retry_deliveries
from courtexec.visibility import restrict, visible_court_ids

admin.site.site_header = _("CourtExec administration")
admin.site.site_title = _("CourtExec")
admin.site.index_title = _("Enforcement bureau administration")


class CourtScopedAdmin(SimpleHistoryAdmin):
    """Base admin: staff see only the records of the courts they may see.

    django-simple-history's history pages look the object up without the admin's queryset, and
    its revert form saves old raw values past every service rule; both are guarded here: an
    invisible record's history is a 404, and reverting is refused.
    """

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)

    def _visible_or_404(self, request, object_id) -> None:
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Court)
class CourtAdmin(CourtScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(CourtScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "court", "staff_number", "is_active", "is_staff"]
    list_filter = ["court", "groups", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "staff_number", "phone"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Court"), {"fields": ("court", "display_name", "phone", "staff_number")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Court"), {"fields": ("court", "display_name", "phone", "staff_number")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "court":
            kwargs["queryset"] = restrict(Court.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system (notifications, text messages): to look at only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "message", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "recipient__username", "recipient__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_court_ids(request.user)
        return queryset if ids is None else queryset.filter(recipient__court_id__in=ids)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The outbox of every channel. Outside messages name no court: only those who see every
    court see them. A secret kind's text (a sign-in code) is never shown nor searched."""

    list_display = [
        "channel",
        "address",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "short_text",
        "error",
    ]
    list_filter = ["status", "channel", "kind", ("notification", admin.EmptyFieldListFilter)]
    search_fields = ["address", "reference"]  # and the text of the kinds that are not secret
    date_hierarchy = "created_at"
    actions = ["retry"]
    exclude = ["text"]
    readonly_fields = ["shown_text"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Delivery) -> str:
        return obj.shown_text[:40]

    @admin.display(description=_("text"))
    def shown_text(self, obj: Delivery) -> str:
        return obj.shown_text

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            by_text = queryset.filter(text__icontains=search_term.strip()).exclude(
                kind__in=secret_kinds()
            )
            results = results | by_text
        return results, duplicates

    @admin.action(description=_("Send the selected failed messages again"))
    def retry(self, request, queryset) -> None:
        try:
            count = retry_deliveries(user=request.user, ids=queryset.values_list("pk", flat=True))
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)d message(s) queued again.") % {"count": count})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if visible_court_ids(request.user) is None else queryset.none()


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    """People set their own channels on their preferences page; here to look at, per court."""

    list_display = ["user", "category", "channels", "updated_at"]
    list_filter = ["category"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_court_ids(request.user)
        return queryset if ids is None else queryset.filter(user__court_id__in=ids)


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """National data: the State Council's holidays and make-up working days (all courts)."""

    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return formats.date_format(obj.date, "l")
