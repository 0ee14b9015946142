"""Admin for courts and staff; every list is narrowed by the same visibility helper as the UI."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from courtexec.models import Court, User
from courtexec.visibility import restrict

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
