"""Admin of the party portal: accounts, one-time codes and served documents, each narrowed by
the same visibility helper as the pages. All three are written by the services (sign-in,
``serve_document``), so the admin only shows them; a code's hash is never shown."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courtexec.admin import ReadOnlyAdmin
from courtexec.visibility import restrict, visible_court_ids
from enforcement.liaison.models import LoginCode, PortalAccount, ServedDocument


class _ScopedReadOnlyAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)


@admin.register(PortalAccount)
class PortalAccountAdmin(_ScopedReadOnlyAdmin):
    """A court sees the accounts of the parties in its cases (``restrict_to_courts``)."""

    list_display = ["__str__", "user", "created_at", "last_sign_in_at"]
    search_fields = ["phone"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    fields = ["phone", "user", "created_at", "last_sign_in_at"]


@admin.register(LoginCode)
class LoginCodeAdmin(ReadOnlyAdmin):
    """Codes name no court: only those who see every court see them (abuse inquiries)."""

    list_display = ["__str__", "client_ip", "created_at", "expires_at", "attempts", "used_at"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["phone", "client_ip"]
    date_hierarchy = "created_at"
    exclude = ["code_hash"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if visible_court_ids(request.user) is None else queryset.none()


@admin.register(ServedDocument)
class ServedDocumentAdmin(_ScopedReadOnlyAdmin):
    list_display = ["title", "kind", "case", "party", "issued_by", "issued_at", "opened"]
    list_filter = ["kind", ("first_opened_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "case__number", "party__name"]
    date_hierarchy = "issued_at"
    list_select_related = ["case", "party", "issued_by"]
    # The file through the checked view, never its storage URL.
    fields = ["case", "party", "kind", "title", "document", "issued_by", "issued_at",
              "first_opened_at"]  # fmt: skip
    readonly_fields = ["document"]

    @admin.display(description=_("file"))
    def document(self, obj: ServedDocument):
        return format_html(
            '<a href="{}">{}</a>', reverse("liaison:document-file", args=[obj.pk]), _("Download")
        )

    @admin.display(description=_("first opened by the party at"), ordering="first_opened_at")
    def opened(self, obj: ServedDocument):
        return obj.first_opened_at or "—"
