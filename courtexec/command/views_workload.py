"""The per-judge workload page (执行法官工作量) and its Excel download. Thin: reads
``courtexec.command.workload``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from casefunds.models import yuan
from courtexec.command import workload as selectors
from courtexec.command.forms import CommandForm
from courtexec.command.tiles import Scope
from enforcement.exports import MONEY_FORMAT, append_header, xlsx_response


@dataclass(frozen=True)
class WorkloadColumn:
    """A column of the table and the spreadsheet; ``total`` reads the totals row (``None``:
    left empty)."""

    key: str  # the ?sort= key
    label: Promise
    width: int
    cell: Callable[[selectors.JudgeRow], object]
    total: Callable[[selectors.Totals], object] | None = None
    money: bool = False

    @property
    def numeric(self) -> bool:
        return self.key not in ("judge", "court")


COLUMNS = [
    WorkloadColumn("judge", _("Judge"), 14, lambda row: str(row.judge)),  # 承办法官
    WorkloadColumn("court", _("Court"), 24, lambda row: row.court),  # 法院
    WorkloadColumn(  # 在办案件
        "open", _("Open cases"), 10, lambda row: row.open, lambda total: total.open
    ),
    WorkloadColumn(  # 结案
        "concluded",
        _("Concluded in period"),
        12,
        lambda row: row.concluded,
        lambda total: total.concluded,
    ),
    WorkloadColumn(  # 超期
        "overdue", _("Overdue now"), 10, lambda row: row.overdue, lambda total: total.overdue
    ),
    WorkloadColumn(  # 发放案款（元）
        "paid",
        _("Paid out (yuan)"),
        16,
        lambda row: yuan(row.paid),
        lambda total: yuan(total.paid),
        money=True,
    ),
    WorkloadColumn(  # 已答复
        "answered",
        _("Messages answered"),
        10,
        lambda row: row.answered,
        lambda total: total.answered,
    ),
    WorkloadColumn(  # 答复时长中位数（小时）
        "reply_median", _("Median reply (hours)"), 14, lambda row: row.reply_median_hours
    ),
    WorkloadColumn(  # 答复时长90分位（小时）
        "reply_p90", _("90th percentile reply (hours)"), 14, lambda row: row.reply_p90_hours
    ),
    WorkloadColumn(  # 未答复
        "unanswered",
        _("Unanswered"),
        10,
        lambda row: row.unanswered,
        lambda total: total.unanswered,
    ),
]


@login_required
@permission_required(selectors.PERMISSIONS, raise_exception=True)
@require_GET
def workload(request: HttpRequest) -> HttpResponse:
    form = CommandForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "command/workload.html", {"form": form}, status=400)
    scope = form.scope()
    rows, sort = selectors.sort_rows(selectors.judge_workload(scope), request.GET.get("sort", ""))
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows, scope)
    query = form.query()
    return render(
        request,
        "command/workload.html",
        {
            "form": form,
            "scope": scope,
            "rows": rows,
            "totals": selectors.totals(rows),
            "headers": _headers(query, sort),
            "xlsx_url": "?" + urlencode({**query, "sort": sort, "format": "xlsx"}),
        },
    )


def _headers(query: dict[str, str], sort: str) -> list[dict]:
    """Each column's header with the link sorting by it: figures biggest first, names A to Z;
    the column already sorted so links to the other way round."""
    headers = []
    for column in COLUMNS:
        first = f"-{column.key}" if column.numeric else column.key
        other = column.key if first.startswith("-") else f"-{column.key}"
        headers.append(
            {
                "column": column,
                "url": "?" + urlencode({**query, "sort": other if sort == first else first}),
                "sorted": {column.key: "asc", f"-{column.key}": "desc"}.get(sort, ""),
            }
        )
    return headers


def _xlsx(rows: list[selectors.JudgeRow], scope: Scope) -> HttpResponse:
    """One sheet: a row per judge and the totals; headers in Chinese, money in yuan."""
    workbook = Workbook()
    sheet = workbook.active
    total = selectors.totals(rows)
    with translation.override("zh-hans"):
        sheet.title = str(_("Judges' workload"))[:31]  # 执行法官工作量
        append_header(sheet, [(str(column.label), column.width) for column in COLUMNS])
        for row in rows:
            sheet.append([column.cell(row) for column in COLUMNS])
        sheet.append(
            [str(_("Total"))]  # 合计
            + [column.total(total) if column.total else None for column in COLUMNS[1:]]
        )
    for index, column in enumerate(COLUMNS, start=1):
        if column.money:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = MONEY_FORMAT
    return xlsx_response(workbook, f"执行法官工作量-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx")
