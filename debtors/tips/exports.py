"""Excel export of the tips board (openpyxl): the rows the board shows, filtered alike, with
the bureau's Chinese headings (as in ``enforcement.exports``); overdue rows are filled red."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from debtors.models import Tip
from enforcement.exports import XLSX_CONTENT_TYPE, append_header

COLUMNS: list[tuple[str, int]] = [
    ("线索编号", 18), ("收到时间", 18), ("来源", 10), ("被执行人", 24), ("证件号码", 20),
    ("线索内容", 40), ("地点", 28), ("案号", 24), ("承办法官", 12), ("核查期限", 12),
    ("状态", 10), ("核查结果", 14), ("核查说明", 30),
]  # fmt: skip
OVERDUE_FILL = PatternFill("solid", fgColor="F8D7DA")


def tips_response(tips: QuerySet[Tip]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "举报线索"
    append_header(sheet, COLUMNS)
    today = timezone.localdate()
    with translation.override("zh-hans"):
        for tip in tips.iterator(chunk_size=500):
            sheet.append([
                tip.reference, timezone.localtime(tip.received_at).replace(tzinfo=None),
                tip.get_source_display(), tip.debtor_name, tip.debtor_id_number, tip.details,
                tip.location, tip.case.number if tip.case else "", str(tip.judge or ""),
                tip.check_due_on, tip.get_status_display(), tip.get_outcome_display(),
                tip.outcome_note,
            ])  # fmt: skip
            if tip.is_overdue(today):
                for cell in sheet[sheet.max_row]:
                    cell.fill = OVERDUE_FILL
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"举报线索-{today:%Y%m%d}.xlsx"
    )
    return response
