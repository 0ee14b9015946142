"""Excel export of the case list (openpyxl): the rows the list shows, filtered alike.

The column headers are the bureau's Chinese report headings, fixed whatever the page language,
so a spreadsheet reads the same for every court and every report built on it; the values
(status, category, closure mode) come in Chinese from the translation catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from enforcement import selectors
from enforcement.models import CaseParty, EnforcementCase

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (header, column width, kind) — kind picks the cell format.
COLUMNS: list[tuple[str, int, str]] = [
    ("案号", 26, "text"),
    ("案件类型", 10, "text"),
    ("案件类别", 14, "text"),
    ("申请执行人", 28, "text"),
    ("被执行人", 28, "text"),
    ("执行标的（元）", 16, "money"),
    ("已执行金额（元）", 16, "money"),
    ("未执行金额（元）", 16, "money"),
    ("立案日期", 12, "date"),
    ("结案期限", 12, "date"),
    ("期限提示", 12, "text"),
    ("承办法官", 12, "text"),
    ("案件状态", 10, "text"),
    ("结案方式", 22, "text"),
    ("结案日期", 12, "date"),
]
BADGES = {"overdue": "已超期", "due_soon": "临近到期", "": ""}
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")


def append_header(sheet: Worksheet, columns: Sequence[tuple[str, int]]) -> int:
    """Append the column headers in the house style (bold white on court red, centred) with
    each column's width, freeze the panes below them; the header's row number."""
    sheet.append([header for header, _width in columns])
    row = sheet.max_row
    for index, (_header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{row + 1}"
    return row


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download; ``filename`` may be Chinese (RFC 6266 encoding)."""
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _names(case: EnforcementCase, role: str) -> str:
    return "、".join(link.party.name for link in case.parties.all() if link.role == role)


def case_row(case: EnforcementCase, today: dt.date) -> list:
    return [
        case.number,
        case.type_code,
        case.get_category_display(),
        _names(case, CaseParty.Role.APPLICANT),
        _names(case, CaseParty.Role.RESPONDENT),
        case.amount_to_enforce,
        case.amount_performed,
        case.outstanding,
        case.filed_on,
        case.due_on,
        BADGES[selectors.deadline_badge(case, today)],
        str(case.judge),
        case.get_status_display(),
        case.get_closure_mode_display(),
        case.closed_on,
    ]


def cases_workbook(cases: Iterable[EnforcementCase], today: dt.date | None = None) -> Workbook:
    """One sheet, one row per case; money as numbers formatted ``#,##0.00``, dates as dates."""
    today = today or timezone.localdate()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "执行案件"
    append_header(sheet, [(header, width) for header, width, _kind in COLUMNS])
    sheet.freeze_panes = "B2"  # and the case number
    with translation.override("zh-hans"):
        for case in cases:
            sheet.append(case_row(case, today))
            for index, (_header, _width, kind) in enumerate(COLUMNS, start=1):
                if kind == "money":
                    sheet.cell(row=sheet.max_row, column=index).number_format = MONEY_FORMAT
                elif kind == "date":
                    sheet.cell(row=sheet.max_row, column=index).number_format = DATE_FORMAT
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    return workbook


def cases_response(queryset: QuerySet[EnforcementCase]) -> HttpResponse:
    """The filtered list as an .xlsx download (``?format=xlsx`` on the list page)."""
    today = timezone.localdate()
    workbook = cases_workbook(queryset.iterator(chunk_size=500), today)
    return xlsx_response(workbook, f"执行案件-{today:%Y%m%d}.xlsx")
