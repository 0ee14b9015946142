"""The command centre's records in the admin: to look at only, narrowed to the courts one sees
(an export by the requester's court, a report by its court)."""

from __future__ import annotations

from django.contrib import admin

from courtexec.admin import ReadOnlyAdmin
from courtexec.command.models import ExportJob, MonthlyReport
from courtexec.visibility import restrict, visible_court_ids


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["title", "requested_by", "status", "rows_done", "rows_total", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "requested_by__username", "requested_by__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_court_ids(request.user)
        return queryset if ids is None else queryset.filter(requested_by__court_id__in=ids)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["court", "month", "generated_at"]
    list_filter = ["month"]
    search_fields = ["court__name", "court__code"]
    list_select_related = ["court"]

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)
