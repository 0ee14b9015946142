"""The monthly reports (执行工作月报): the list, the printable report and its spreadsheet.

Reports of courts the person may not see are absent from the list and a 404 by address.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from courtexec.command import reports
from courtexec.command.models import MonthlyReport
from enforcement.exports import xlsx_response

REPORT_PERMISSION = "command.view_monthlyreport"


def _may_read(request: HttpRequest) -> None:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied


def _report(request: HttpRequest, pk: int) -> MonthlyReport:
    _may_read(request)
    return get_object_or_404(reports.visible_reports(request.user), pk=pk)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    _may_read(request)
    filterset = reports.ReportFilterSet(
        request.GET or None, queryset=reports.visible_reports(request.user), user=request.user
    )
    if filterset.is_bound and not filterset.is_valid():
        return render(request, "command/reports.html", {"filter": filterset}, status=400)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "command/reports.html", {"filter": filterset, "page": page})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable report: figures by group, the previous month's and the change."""
    report = _report(request, pk)
    context = {
        "report": report,
        "title": reports.report_title(report),
        "sections": reports.sections(report),
    }
    return render(request, "command/report.html", context)


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return xlsx_response(reports.report_workbook(report), reports.report_filename(report))
