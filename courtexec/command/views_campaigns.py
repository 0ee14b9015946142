"""Campaign reports pages (专项执行活动): the campaigns of a period and one campaign's cases,
on screen, printed or as Excel (``?format=xlsx``)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from casefunds.models import yuan
from courtexec.command.campaigns import (
    CampaignReport,
    campaign_case_rows,
    campaign_report,
    campaign_reports,
)
from courtexec.command.forms import CommandForm
from courtexec.visibility import restrict
from enforcement.exports import DATE_FORMAT, MONEY_FORMAT, append_header, xlsx_response
from enforcement.models import Campaign, EnforcementCase

PERMISSIONS = ("command.view_command_centre", "enforcement.view_campaign")
PAGE_SIZE = 50
# Spreadsheets read the same in every court: headings and values in the bureau's language.
EXPORT_LANGUAGE = "zh-hans"


def can_see_campaigns(user) -> bool:
    return user.has_perms(PERMISSIONS)


def _require(request: HttpRequest) -> None:
    if not can_see_campaigns(request.user):
        raise PermissionDenied


def _categories(campaign: Campaign) -> str:
    labels = dict(EnforcementCase.Category.choices)
    return "、".join(str(labels.get(code, code)) for code in campaign.categories)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = CommandForm(request.GET, user=request.user)
    if not form.is_valid():
        context = {"form": form, "reports": []}
        return render(request, "command/campaigns.html", context, status=400)
    reports = campaign_reports(form.scope())
    if request.GET.get("format") == "xlsx":
        start, end = form.period()
        return _reports_xlsx(reports, f"专项执行活动_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
    start, end = form.period()
    context = {
        "form": form,
        "reports": reports,
        "start": start,
        "end": end,
        "totals": {
            "collected": sum(report.collected for report in reports),
            "paid": sum(report.paid for report in reports),
        },
        "xlsx_query": urlencode({**form.query(), "format": "xlsx"}),
    }
    return render(request, "command/campaigns.html", context)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    campaign = get_object_or_404(
        restrict(Campaign.objects.select_related("court"), request.user), pk=pk
    )
    report = campaign_report(campaign)
    rows = campaign_case_rows(campaign)
    if request.GET.get("format") == "xlsx":
        return _cases_xlsx(report, rows, f"{campaign.name}_{campaign.starts_on:%Y%m%d}.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "command/campaign_detail.html",
        {"report": report, "page": page, "categories": _categories(campaign)},
    )


# --- Excel -------------------------------------------------------------------------------------


def _format(sheet, columns: Iterable[int], number_format: str) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format


def _reports_xlsx(reports: list[CampaignReport], filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(EXPORT_LANGUAGE):
        sheet.title = _("Campaigns")  # 专项执行活动
        append_header(
            sheet,
            [
                (_("Campaign"), 30),  # 活动名称
                (_("Court"), 24),
                (_("Starts on"), 12),
                (_("Ends on"), 12),
                (_("Target categories"), 24),
                (_("Cases concluded"), 10),
                (_("Detentions"), 10),
                (_("Blacklist entries"), 10),
                (_("Transfers to police"), 10),
                (_("Money collected (yuan)"), 16),  # 执行到位金额（元）
                (_("Money paid out (yuan)"), 16),  # 发放金额（元）
            ],
        )
        for report in reports:
            campaign, figures = report.campaign, report.figures
            sheet.append(
                [
                    campaign.name,
                    campaign.court.name,
                    campaign.starts_on,
                    campaign.ends_on,
                    _categories(campaign),
                    figures.cases_concluded,
                    figures.detentions,
                    figures.blacklist_entries,
                    figures.police_transfers,
                    yuan(report.collected),
                    yuan(report.paid),
                ]
            )
    _format(sheet, (3, 4), DATE_FORMAT)
    _format(sheet, (10, 11), MONEY_FORMAT)
    return xlsx_response(workbook, filename)


def _cases_xlsx(report: CampaignReport, rows, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(EXPORT_LANGUAGE):
        sheet.title = _("Cases")
        append_header(
            sheet,
            [
                (_("Case number"), 26),  # 案号
                (_("Judge"), 12),
                (_("Filed on"), 12),
                (_("Status"), 10),
                (_("Closed on"), 12),
                (_("Received during the campaign (yuan)"), 18),
                (_("Paid out during the campaign (yuan)"), 18),
            ],
        )
        for case in rows.iterator(chunk_size=500):
            sheet.append(
                [
                    case.number,
                    str(case.judge),
                    case.filed_on,
                    case.get_status_display(),
                    case.closed_on,
                    yuan(case.received),
                    yuan(case.paid),
                ]
            )
        sheet.append([_("Total"), "", "", "", "", yuan(report.collected), yuan(report.paid)])
    _format(sheet, (3, 5), DATE_FORMAT)
    _format(sheet, (6, 7), MONEY_FORMAT)
    return xlsx_response(workbook, filename)
