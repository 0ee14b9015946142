"""Exports of the vehicles registry: the wanted list (布控名单) for the police and road campaigns,
as Excel and CSV, and the vehicle list as Excel.

Headers are fixed Chinese headings whatever the page language: the police's campaign systems
import them by column name. CSV is UTF-8 with a byte-order mark so Excel on a police PC opens it
in Chinese rather than mojibake.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from io import StringIO

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from enforcement.exports import append_header, xlsx_response
from vehicles.models import Surveillance, Vehicle

WANTED_COLUMNS: list[tuple[str, int]] = [
    ("号牌号码", 12),
    ("车辆识别代号", 20),
    ("品牌型号", 18),
    ("车身颜色", 8),
    ("登记所有人", 26),
    ("案号", 26),
    ("承办法官", 10),
    ("法官电话", 14),
    ("布控开始日期", 12),
    ("布控截止日期", 12),
    ("布控原因", 40),
]
VEHICLE_COLUMNS: list[tuple[str, int]] = [
    ("号牌号码", 12),
    ("车辆识别代号", 20),
    ("车辆类型", 10),
    ("品牌型号", 18),
    ("车身颜色", 8),
    ("登记所有人", 26),
    ("关联案号", 30),
    ("扣押状态", 10),
    ("保管单位", 24),
    ("在库天数", 8),
    ("布控中", 8),
]


def wanted_row(surveillance: Surveillance) -> list:
    vehicle, case = surveillance.vehicle, surveillance.case
    return [
        vehicle.plate,
        vehicle.vin,
        vehicle.make_model,
        vehicle.colour,
        str(vehicle.owner),
        case.number,
        str(case.judge),
        case.judge.phone,
        surveillance.starts_on,
        surveillance.ends_on,
        surveillance.reason,
    ]


def vehicle_row(vehicle: Vehicle) -> list:
    impound = vehicle.open_impound
    return [
        vehicle.plate,
        vehicle.vin,
        vehicle.get_vehicle_class_display(),
        vehicle.make_model,
        vehicle.colour,
        str(vehicle.owner),
        "、".join(case.number for case in vehicle.cases.all()),
        impound.get_state_display() if impound else "未扣押",
        str(impound.custodian) if impound and impound.custodian else "",
        vehicle.days_in_custody,
        "是" if vehicle.under_surveillance else "",
    ]


def workbook(title: str, columns: Sequence[tuple[str, int]], rows: Iterable[list]) -> Workbook:
    """One sheet with a bold red header row; dates formatted as dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    append_header(sheet, columns)
    sheet.freeze_panes = "B2"  # and the plate
    with translation.override("zh-hans"):
        for row in rows:
            sheet.append(row)
            for index, value in enumerate(row, start=1):
                if isinstance(value, dt.date):
                    sheet.cell(row=sheet.max_row, column=index).number_format = "yyyy-mm-dd"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    return book


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def sheet_response(title: str, columns, rows, filename: str) -> HttpResponse:
    return xlsx_response(workbook(title, columns, rows), filename)


def wanted_response(surveillances: Iterable[Surveillance], export_format: str) -> HttpResponse:
    """The wanted list as ``xlsx`` or ``csv``."""
    today = timezone.localdate()
    rows = (wanted_row(surveillance) for surveillance in surveillances)
    if export_format == "csv":
        text = StringIO()
        writer = csv.writer(text)
        writer.writerow([header for header, _width in WANTED_COLUMNS])
        for row in rows:
            writer.writerow([f"{v:%Y-%m-%d}" if isinstance(v, dt.date) else v for v in row])
        return _attachment(
            ("\ufeff" + text.getvalue()).encode("utf-8"),
            "text/csv; charset=utf-8",
            f"布控名单-{today:%Y%m%d}.csv",
        )
    return sheet_response("布控名单", WANTED_COLUMNS, rows, f"布控名单-{today:%Y%m%d}.xlsx")


def vehicles_response(vehicles: list[Vehicle]) -> HttpResponse:
    today = timezone.localdate()
    return sheet_response(
        "车辆", VEHICLE_COLUMNS, map(vehicle_row, vehicles), f"车辆-{today:%Y%m%d}.xlsx"
    )
