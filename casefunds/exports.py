"""Excel export of a sub-account's statement (openpyxl).

As the case-list export: Chinese report headings whatever the page language, money as numbers
in yuan formatted ``#,##0.00``, times as Excel date-times in court time.
"""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from casefunds.models import Account, yuan
from casefunds.selectors import Statement
from enforcement.exports import MONEY_FORMAT, XLSX_CONTENT_TYPE, append_header

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# (header, column width, kind)
STATEMENT_COLUMNS: list[tuple[str, int, str]] = [
    ("记账时间", 18, "datetime"),
    ("交易编号", 10, "text"),
    ("交易类型", 16, "text"),
    ("摘要", 40, "text"),
    ("收入（元）", 16, "money"),
    ("支出（元）", 16, "money"),
    ("冻结待付（元）", 16, "money"),
    ("余额（元）", 16, "money"),
]


def _number(fen: int):
    return yuan(fen) if fen else None


def statement_workbook(account: Account, statement: Statement) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "账户明细"
    case_number = account.case.number if account.case_id else ""
    sheet.append(["账户", account.virtual_number or str(account), "案号", case_number])
    append_header(sheet, [(header, width) for header, width, _kind in STATEMENT_COLUMNS])
    with translation.override("zh-hans"):
        for line in statement.lines:
            sheet.append(
                [
                    timezone.localtime(line.at).replace(tzinfo=None),
                    line.transfer_id,
                    line.code_label,
                    line.memo,
                    _number(line.money_in),
                    _number(line.money_out),
                    _number(line.reserved),
                    yuan(line.balance),
                ]
            )
            for index, (_header, _width, kind) in enumerate(STATEMENT_COLUMNS, start=1):
                cell = sheet.cell(row=sheet.max_row, column=index)
                if kind == "money":
                    cell.number_format = MONEY_FORMAT
                elif kind == "datetime":
                    cell.number_format = DATETIME_FORMAT
    sheet.append(
        ["合计", None, None, None, yuan(statement.total_in), yuan(statement.total_out), None,
         yuan(statement.closing)]
    )  # fmt: skip
    for index in (5, 6, 8):
        sheet.cell(row=sheet.max_row, column=index).number_format = MONEY_FORMAT
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    return workbook


def statement_response(account: Account, statement: Statement) -> HttpResponse:
    buffer = BytesIO()
    statement_workbook(account, statement).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    name = account.virtual_number or f"account-{account.pk}"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"案款明细-{name}-{timezone.localdate():%Y%m%d}.xlsx"
    )
    return response
